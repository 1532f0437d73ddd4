import { Inject, Injectable } from '@nestjs/common';
import {
  type Caller,
  CREDENTIAL_RULE_MESSAGES,
  type identityRpc,
  type InputOf,
  licensingRpc,
  passwordRulesBroken,
  type ReplyOf,
  securityCodeRulesBroken,
} from '@warden/contracts';
import { DomainError, NatsRpcClient, ruleViolations } from '@warden/platform';
import type { AdministratorRecord } from '../administrators/administrator.model';
import { AdministratorRepository } from '../administrators/administrator.repository';
import { IdentityAudit } from '../audit/identity-audit';
import type { IdentityConfig } from '../config';
import { IDENTITY_CONFIG } from '../identity.tokens';
import { IdentityMailer } from '../mail/identity-mailer';
import { PasswordHasher } from '../secrets/password-hasher';
import { newOpaqueToken, temporaryPassword, tokenHash } from '../secrets/opaque-token';
import { SecretBox } from '../secrets/secret-box';
import { normalisedAnswer, securityCodeContext } from '../secrets/secret-contexts';
import { ActivationLinkRepository, type ActivationLinkRecord } from './activation-link.repository';

/** Wrong temporary passwords one link takes before it stops working. */
const LINK_MAX_FAILURES = 5;

/**
 * Activation: the e-mail with a single-use link and a temporary password,
 * and the registration form it opens (DESIGN §3, journey 2). An account has
 * one working link at a time; sending a new one retires the previous.
 */
@Injectable()
export class ActivationService {
  constructor(
    private readonly links: ActivationLinkRepository,
    private readonly admins: AdministratorRepository,
    private readonly hasher: PasswordHasher,
    private readonly box: SecretBox,
    private readonly mailer: IdentityMailer,
    private readonly audit: IdentityAudit,
    private readonly rpc: NatsRpcClient,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {}

  /** A new link and temporary password, not yet the account's (see `sendTo`). */
  async newLink(admin: Pick<AdministratorRecord, '_id' | 'consoleId'>): Promise<PendingLink> {
    const token = newOpaqueToken();
    const password = temporaryPassword();
    const now = new Date();
    const record: ActivationLinkRecord = {
      _id: tokenHash(token),
      administratorId: admin._id,
      consoleId: admin.consoleId,
      temporaryPasswordHash: await this.hasher.hash(password),
      state: 'open',
      failedAttempts: 0,
      expiresAt: new Date(now.getTime() + this.config.activationTtlHours * 3_600_000),
      mailQueuedAt: null,
      createdAt: now,
    };
    await this.links.insert(record);
    return { token, temporaryPassword: password, record };
  }

  linkOf(id: string): Promise<ActivationLinkRecord | null> {
    return this.links.findById(id);
  }

  /** Queues the activation e-mail of a link the account now holds, and notes it was queued. */
  async sendTo(admin: AdministratorRecord, link: PendingLink, consoleName: string): Promise<void> {
    await this.mailer.sendActivation(link.record._id, admin.email, admin.language, {
      firstName: admin.firstName,
      lastName: admin.lastName,
      consoleName,
      link: this.mailer.link('activation', link.token),
      temporaryPassword: link.temporaryPassword,
      expiresAt: link.record.expiresAt,
    });
    await this.links.markMailQueued(link.record._id, new Date());
  }

  /**
   * Resending: a new link becomes the account's only one (compare-and-set on
   * the link it replaces), the old one answers ACTIVATION_LINK_REPLACED.
   */
  async replaceLink(
    admin: AdministratorRecord,
    consoleName: string,
  ): Promise<AdministratorRecord | null> {
    const link = await this.newLink(admin);
    const before = await this.admins.compareAndSet(
      admin._id,
      { state: 'invited', activationLinkId: admin.activationLinkId },
      {
        $set: {
          activationLinkId: link.record._id,
          invitationExpiresAt: link.record.expiresAt,
          updatedAt: new Date(),
        },
      },
    );
    if (!before) return null;
    if (before.activationLinkId) await this.links.close(before.activationLinkId, 'replaced');
    const after: AdministratorRecord = {
      ...before,
      activationLinkId: link.record._id,
      invitationExpiresAt: link.record.expiresAt,
    };
    await this.sendTo(after, link, consoleName);
    return after;
  }

  async get(
    caller: Caller,
    { token }: InputOf<typeof identityRpc.getActivation>,
  ): Promise<ReplyOf<typeof identityRpc.getActivation>> {
    const { link, admin } = await this.open(token);
    return {
      email: admin.email,
      firstName: admin.firstName,
      lastName: admin.lastName,
      // Asked of licensing, which owns it: a renamed console shows its new name.
      consoleName: (
        await this.rpc.request(licensingRpc.getConsole, { caller, consoleId: admin.consoleId })
      ).console.name,
      language: admin.language,
      expiresAt: link.expiresAt.toISOString(),
    };
  }

  /**
   * Registration: every broken rule comes back at once, by field; the
   * account becomes `active` in one write conditional on this link still
   * being its link, so two submissions of one form activate it once.
   */
  async complete(
    caller: Caller,
    form: InputOf<typeof identityRpc.completeActivation>,
  ): Promise<Record<string, never>> {
    const { link, admin } = await this.open(form.token);
    const broken: Record<string, string[]> = {};
    const passwordRules = passwordRulesBroken(form.password, admin.email);
    if (passwordRules.length > 0) broken['password'] = passwordRules;
    const codeRules = securityCodeRulesBroken(form.securityCode);
    if (codeRules.length > 0) broken['securityCode'] = codeRules;
    if (!(await this.hasher.verify(link.temporaryPasswordHash, form.temporaryPassword))) {
      broken['temporaryPassword'] = ['incorrect'];
      if ((await this.links.countFailure(link._id)) + 1 >= LINK_MAX_FAILURES) {
        await this.links.close(link._id, 'locked');
      }
    }
    if (Object.keys(broken).length > 0) throw ruleViolations(broken, CREDENTIAL_RULE_MESSAGES);

    const now = new Date();
    const [passwordHash, securityAnswerHash] = await Promise.all([
      this.hasher.hash(form.password),
      this.hasher.hash(normalisedAnswer(form.securityAnswer)),
    ]);
    const audited = this.audit.prepare(caller, {
      consoleId: admin.consoleId,
      action: 'administrator.activated',
      target: { type: 'administrator', id: admin._id },
      before: { state: 'invited' },
      after: { state: 'active' },
    });
    const activated = await this.admins.compareAndSet(
      admin._id,
      { state: 'invited', activationLinkId: link._id },
      {
        $set: {
          state: 'active',
          passwordHash,
          securityCodeSealed: this.box.seal(form.securityCode, securityCodeContext(admin._id)),
          securityQuestion: form.securityQuestion,
          securityAnswerHash,
          activationLinkId: null,
          invitationExpiresAt: null,
          failedAttempts: 0,
          lockedUntil: null,
          updatedAt: now,
        },
      },
    );
    if (!activated) throw linkError('ACTIVATION_LINK_USED');
    await this.links.close(link._id, 'used');
    await this.audit.publish(audited);
    return {};
  }

  /** The link's account, or the code that says why this link does not work. */
  private async open(
    token: string,
  ): Promise<{ link: ActivationLinkRecord; admin: AdministratorRecord }> {
    const link = await this.links.findById(tokenHash(token));
    if (!link) throw linkError('ACTIVATION_LINK_UNKNOWN');
    const admin = await this.admins.findById(link.administratorId);
    if (!admin) throw linkError('ACTIVATION_LINK_UNKNOWN');
    if (link.state === 'used' || (link.state === 'open' && admin.state !== 'invited')) {
      throw linkError('ACTIVATION_LINK_USED');
    }
    if (link.state === 'replaced' || admin.activationLinkId !== link._id) {
      throw linkError('ACTIVATION_LINK_REPLACED');
    }
    if (link.state === 'locked') throw linkError('ACTIVATION_LINK_LOCKED');
    if (link.expiresAt <= new Date()) throw linkError('ACTIVATION_LINK_EXPIRED');
    return { link, admin };
  }
}

export interface PendingLink {
  token: string;
  temporaryPassword: string;
  record: ActivationLinkRecord;
}

const LINK_MESSAGES = {
  ACTIVATION_LINK_UNKNOWN: 'this activation link is not valid; check it was copied whole',
  ACTIVATION_LINK_USED: 'this activation link was used already; log in instead',
  ACTIVATION_LINK_REPLACED: 'a newer activation e-mail was sent; use the link in that one',
  ACTIVATION_LINK_LOCKED:
    'too many wrong temporary passwords on this link; ask for a new activation e-mail',
  ACTIVATION_LINK_EXPIRED: 'this activation link has expired; ask for a new activation e-mail',
} as const;

function linkError(code: keyof typeof LINK_MESSAGES): DomainError {
  return new DomainError(code, LINK_MESSAGES[code]);
}
