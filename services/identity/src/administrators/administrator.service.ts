import { Injectable } from '@nestjs/common';
import {
  type AdministratorInput,
  type Caller,
  type identityRpc,
  type InputOf,
  phoneDigits,
  type ReplyOf,
} from '@warden/contracts';
import { DomainError, newId } from '@warden/platform';
import { ActivationService } from '../activation/activation.service';
import { IdentityAudit } from '../audit/identity-audit';
import { administratorNotFound } from '../identity.errors';
import type { AdministratorRecord } from './administrator.model';
import { AdministratorRepository } from './administrator.repository';
import { toAdministratorView } from './administrator.view';

type AdministratorList = ReplyOf<typeof identityRpc.listConsoleAdministrators>;

/**
 * Administrators as the provider opens a console with them: invited
 * (`invited`) with an activation e-mail each. Inviting is idempotent per
 * (console, e-mail): a retried console creation finishes what an earlier
 * attempt began, and never sends an e-mail twice.
 */
@Injectable()
export class AdministratorService {
  constructor(
    private readonly admins: AdministratorRepository,
    private readonly activation: ActivationService,
    private readonly audit: IdentityAudit,
  ) {}

  async inviteInitial(
    caller: Caller,
    request: InputOf<typeof identityRpc.inviteInitialAdministrators>,
  ): Promise<AdministratorList> {
    const emails = new Set(request.administrators.map((a) => a.email.toLowerCase()));
    if (emails.size !== request.administrators.length) {
      throw new DomainError(
        'VALIDATION_FAILED',
        'each administrator needs an e-mail of their own',
        {
          fields: { administrators: ['duplicate_email'] },
        },
      );
    }
    const items: AdministratorList['items'] = [];
    // One after the other: a refusal (an e-mail taken) leaves the earlier ones done, and a retry finishes.
    for (const input of request.administrators) {
      items.push(toAdministratorView(await this.inviteOne(caller, request, input)));
    }
    return { items };
  }

  async list(
    _caller: Caller,
    { consoleId }: InputOf<typeof identityRpc.listConsoleAdministrators>,
  ): Promise<AdministratorList> {
    const records = await this.admins.listInConsole(consoleId);
    const now = new Date();
    return { items: records.map((record) => toAdministratorView(record, now)) };
  }

  /** A new activation e-mail: the previous link stops working. */
  async resendActivation(
    caller: Caller,
    { consoleId, administratorId }: InputOf<typeof identityRpc.resendActivation>,
  ): Promise<ReplyOf<typeof identityRpc.resendActivation>> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const admin = await this.admins.findInConsole(consoleId, administratorId);
      if (!admin) throw administratorNotFound(administratorId);
      if (admin.state !== 'invited') {
        throw new DomainError('ADMIN_ALREADY_ACTIVE', 'this administrator has registered already', {
          administratorId,
        });
      }
      const audited = this.audit.prepare(caller, {
        consoleId,
        action: 'activation.resent',
        target: { type: 'administrator', id: administratorId },
      });
      const after = await this.activation.replaceLink(admin);
      if (!after) continue; // registered or resent meanwhile: look again
      await this.audit.publish(audited);
      return toAdministratorView(after);
    }
    throw new DomainError('CONFLICT', 'this administrator is changing; retry', { administratorId });
  }

  private async inviteOne(
    caller: Caller,
    request: InputOf<typeof identityRpc.inviteInitialAdministrators>,
    input: AdministratorInput,
  ): Promise<AdministratorRecord> {
    const emailLower = input.email.toLowerCase();
    const existing = await this.admins.findByEmail(emailLower);
    if (existing) return this.finishInvitation(request.consoleId, existing);

    const now = new Date();
    const id = newId();
    const link = await this.activation.newLink({ _id: id, consoleId: request.consoleId });
    const record: AdministratorRecord = {
      _id: id,
      consoleId: request.consoleId,
      consoleName: request.consoleName,
      email: input.email,
      emailLower,
      phone: input.phone ?? null,
      ...(input.phone ? { phoneDigits: phoneDigits(input.phone) } : {}),
      firstName: input.firstName,
      lastName: input.lastName,
      language: input.language ?? request.consoleLanguage,
      // The provider's first administrators run the console: everything, every site.
      accountType: 'super_admin',
      kind: 'customer',
      siteAccess: {},
      state: 'invited',
      activationLinkId: link.record._id,
      invitationExpiresAt: link.record.expiresAt,
      passwordHash: null,
      securityCodeSealed: null,
      securityQuestion: null,
      securityAnswerHash: null,
      lastCodePositions: [],
      failedAttempts: 0,
      lockedUntil: null,
      totpSecretSealed: null,
      twoFactorEnabledAt: null,
      twoFactorQuestions: [],
      recoveryCodes: [],
      totpLastStep: 0,
      createdAt: now,
      updatedAt: now,
    };
    const audited = this.audit.prepare(caller, {
      consoleId: request.consoleId,
      action: 'administrator.invited',
      target: { type: 'administrator', id },
      after: { email: record.email, accountType: record.accountType, state: record.state },
    });
    if ((await this.admins.insert(record)) === 'taken') {
      // A concurrent retry inserted the same e-mail first, or the e-mail or phone is someone else's.
      const winner = await this.admins.findByEmail(emailLower);
      if (winner) return this.finishInvitation(request.consoleId, winner);
      throw new DomainError('ADMIN_PHONE_TAKEN', 'another administrator has this phone number', {
        field: 'phone',
      });
    }
    await this.activation.sendTo(record, link);
    await this.audit.publish(audited);
    return record;
  }

  /**
   * The e-mail is known: in this console it is the same invitation again
   * (a retry) — finished if a crash left its e-mail unsent; elsewhere it is
   * someone else's login id.
   */
  private async finishInvitation(
    consoleId: string,
    existing: AdministratorRecord,
  ): Promise<AdministratorRecord> {
    if (existing.consoleId !== consoleId) {
      throw new DomainError(
        'ADMIN_EMAIL_TAKEN',
        'this e-mail address already signs in to Warden; each administrator needs their own',
        { field: 'email', email: existing.email },
      );
    }
    if (existing.state !== 'invited' || !existing.activationLinkId) return existing;
    const link = await this.activation.linkOf(existing.activationLinkId);
    if (link?.mailQueuedAt) return existing;
    // The e-mail of this link may never have been queued: its token is gone
    // (only its hash is stored), so a new link replaces it.
    return (await this.activation.replaceLink(existing)) ?? existing;
  }
}
