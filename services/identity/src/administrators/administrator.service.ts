import { Injectable } from '@nestjs/common';
import {
  type Administrator,
  type AdministratorInput,
  type Caller,
  type ConsoleDetail,
  type identityRpc,
  type InputOf,
  licensingRpc,
  phoneDigits,
  type ReplyOf,
} from '@warden/contracts';
import { DomainError, NatsRpcClient, newId, requestFingerprint, tenantOf } from '@warden/platform';
import type { UpdateQuery } from 'mongoose';
import { ActivationService } from '../activation/activation.service';
import { IdentityAudit } from '../audit/identity-audit';
import { administratorNotFound } from '../identity.errors';
import { alertRecipientsOf } from './alert-recipients';
import { SessionService } from '../sessions/session.service';
import type { AdministratorRecord } from './administrator.model';
import { AdministratorRepository } from './administrator.repository';
import { toAdministratorView } from './administrator.view';
import { SuperAdminGuard } from './super-admin-guard';

type AdministratorList = ReplyOf<typeof identityRpc.listConsoleAdministrators>;

/** The idempotency key of an addition and the fingerprint of its request. */
interface KeyedCreation {
  key: string;
  fingerprint: string;
}

/** Who a new administrator is and what they may do. */
interface Invitation {
  consoleId: string;
  consoleName: string;
  consoleLanguage: 'ja' | 'en';
  input: AdministratorInput;
  accountType: Administrator['accountType'];
  kind: Administrator['kind'];
  siteAccess: Record<string, 'admin' | 'view_only'>;
  /** A retried request with this key finds the administrator it added. */
  creation: KeyedCreation | null;
}

const CHANGE_ATTEMPTS = 5;

/**
 * Administrators: invited (`invited`) with an activation e-mail, then managed
 * by the console's super admins (DESIGN §3, journey 12). Adding is idempotent:
 * the provider's first invitations per (console, e-mail), a super admin's
 * additions per idempotency key. Provider-support accounts are the provider's:
 * customers cannot demote, disable or delete them. A console always keeps an
 * active customer super admin (SuperAdminGuard).
 */
@Injectable()
export class AdministratorService {
  constructor(
    private readonly admins: AdministratorRepository,
    private readonly activation: ActivationService,
    private readonly sessions: SessionService,
    private readonly guard: SuperAdminGuard,
    private readonly rpc: NatsRpcClient,
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
      const record = await this.invite(caller, {
        consoleId: request.consoleId,
        consoleName: request.consoleName,
        consoleLanguage: request.consoleLanguage,
        input,
        // The provider's first administrators run the console: everything, every site.
        accountType: 'super_admin',
        kind: 'customer',
        siteAccess: {},
        creation: null,
      });
      items.push(toAdministratorView(record));
    }
    return { items };
  }

  /** Ops API: the provider's support account, a super admin customers cannot remove. */
  async addProviderSupport(
    caller: Caller,
    request: InputOf<typeof identityRpc.addProviderSupport>,
  ): Promise<Administrator> {
    const { consoleId, idempotencyKey, ...input } = request;
    const detail = await this.consoleOf(caller, consoleId);
    const record = await this.invite(caller, {
      consoleId,
      consoleName: detail.console.name,
      consoleLanguage: detail.console.language,
      input,
      accountType: 'super_admin',
      kind: 'provider_support',
      siteAccess: {},
      creation: await this.keyedCreation(consoleId, idempotencyKey, requestFingerprint(input)),
    });
    return toAdministratorView(record);
  }

  /** Console API: a super admin adds an administrator of their console. */
  async add(
    caller: Caller,
    request: InputOf<typeof identityRpc.addAdministrator>,
  ): Promise<Administrator> {
    const consoleId = tenantOf(caller);
    const { idempotencyKey, accountType, siteAccess, ...input } = request;
    const detail = await this.consoleOf(caller, consoleId);
    const record = await this.invite(caller, {
      consoleId,
      consoleName: detail.console.name,
      consoleLanguage: detail.console.language,
      input,
      accountType,
      kind: 'customer',
      siteAccess: accountType === 'super_admin' ? {} : grantedSites(siteAccess, detail),
      creation: await this.keyedCreation(
        consoleId,
        idempotencyKey,
        requestFingerprint({ ...input, accountType, siteAccess }),
      ),
    });
    return toAdministratorView(record);
  }

  /** Ops API: every administrator of a console. */
  async list(
    _caller: Caller,
    { consoleId }: InputOf<typeof identityRpc.listConsoleAdministrators>,
  ): Promise<AdministratorList> {
    const records = await this.admins.listInConsole(consoleId);
    const now = new Date();
    return { items: records.map((record) => toAdministratorView(record, now)) };
  }

  /** Who is alerted about a site (the command service's unverified removals). */
  async alertRecipients(
    caller: Caller,
    { consoleId, siteId }: InputOf<typeof identityRpc.alertRecipients>,
  ): Promise<ReplyOf<typeof identityRpc.alertRecipients>> {
    if (caller.consoleId !== undefined && caller.consoleId !== consoleId) {
      throw new DomainError('FORBIDDEN', 'a caller acts in its own console only', { consoleId });
    }
    const records = await this.admins.listInConsole(consoleId);
    return { recipients: alertRecipientsOf(records, siteId) };
  }

  /** Console API: a page of the caller's console's administrators, optionally in one state. */
  async page(
    caller: Caller,
    { state, limit, cursor }: InputOf<typeof identityRpc.listAdministrators>,
  ): Promise<ReplyOf<typeof identityRpc.listAdministrators>> {
    const now = new Date();
    const records = await this.admins.pageInConsole(tenantOf(caller), {
      state,
      after: cursor,
      limit,
      now,
    });
    return {
      items: records.map((record) => toAdministratorView(record, now)),
      nextCursor: records.length === limit ? records[records.length - 1]!._id : null,
    };
  }

  async get(
    caller: Caller,
    { administratorId }: InputOf<typeof identityRpc.getAdministrator>,
  ): Promise<Administrator> {
    return toAdministratorView(await this.require(tenantOf(caller), administratorId));
  }

  /** A new activation e-mail: the previous link stops working. */
  async resendActivation(
    caller: Caller,
    { consoleId, administratorId }: InputOf<typeof identityRpc.resendActivation>,
  ): Promise<Administrator> {
    for (let attempt = 0; attempt < CHANGE_ATTEMPTS; attempt++) {
      const admin = await this.require(consoleId, administratorId);
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
      const { console } = await this.consoleOf(caller, consoleId);
      const after = await this.activation.replaceLink(admin, console.name);
      if (!after) continue; // registered or resent meanwhile: look again
      await this.audit.publish(audited);
      return toAdministratorView(after);
    }
    throw conflict(administratorId);
  }

  resendInvitation(
    caller: Caller,
    { administratorId }: InputOf<typeof identityRpc.resendInvitation>,
  ): Promise<Administrator> {
    return this.resendActivation(caller, { consoleId: tenantOf(caller), administratorId });
  }

  async update(
    caller: Caller,
    { administratorId, patch }: InputOf<typeof identityRpc.updateAdministrator>,
  ): Promise<Administrator> {
    const consoleId = tenantOf(caller);
    const detail = patch.siteAccess === undefined ? null : await this.consoleOf(caller, consoleId);
    return this.change(caller, consoleId, administratorId, 'administrator.updated', (admin) => {
      const demoting = patch.accountType === 'admin' && admin.accountType === 'super_admin';
      if (admin.kind === 'provider_support' && (demoting || patch.siteAccess !== undefined)) {
        throw providerSupportProtected(admin._id);
      }
      if (demoting) refuseSelf(caller, admin, 'demote');
      const accountType = patch.accountType ?? admin.accountType;
      const set: Partial<AdministratorRecord> = {};
      if (patch.firstName !== undefined) set.firstName = patch.firstName;
      if (patch.lastName !== undefined) set.lastName = patch.lastName;
      if (patch.language !== undefined) set.language = patch.language;
      if (patch.accountType !== undefined) set.accountType = patch.accountType;
      if (patch.phone !== undefined) set.phone = patch.phone;
      if (accountType === 'super_admin') set.siteAccess = {};
      else if (detail) set.siteAccess = grantedSites(patch.siteAccess!, detail);
      const update: UpdateQuery<AdministratorRecord> = { $set: set };
      if (patch.phone === null) update.$unset = { phoneDigits: 1 };
      else if (patch.phone !== undefined) set.phoneDigits = phoneDigits(patch.phone);
      return { update, guarded: demoting };
    });
  }

  unlock(caller: Caller, { administratorId }: InputOf<typeof identityRpc.unlockAdministrator>) {
    return this.change(caller, tenantOf(caller), administratorId, 'administrator.unlocked', () => ({
      update: { $set: { lockedUntil: null, failedAttempts: 0 } },
    }));
  }

  /** They set 2FA up again at their next sign-in; their sessions end now. */
  resetTwoFactor(
    caller: Caller,
    { administratorId }: InputOf<typeof identityRpc.resetAdministratorTwoFactor>,
  ) {
    return this.change(caller, tenantOf(caller), administratorId, 'two-factor.reset', (admin) => {
      refuseSelf(caller, admin, 'reset the 2FA of');
      if (!admin.twoFactorEnabledAt) {
        throw new DomainError('TWO_FACTOR_NOT_ENABLED', 'this administrator has no 2FA to reset');
      }
      return {
        update: {
          $set: {
            totpSecretSealed: null,
            twoFactorEnabledAt: null,
            twoFactorQuestions: [],
            recoveryCodes: [],
          },
        },
        endSessions: true,
      };
    });
  }

  disable(caller: Caller, { administratorId }: InputOf<typeof identityRpc.disableAdministrator>) {
    return this.change(
      caller,
      tenantOf(caller),
      administratorId,
      'administrator.disabled',
      (admin) => {
        refuseSelf(caller, admin, 'disable');
        if (admin.kind === 'provider_support') throw providerSupportProtected(admin._id);
        if (admin.state === 'disabled') return null;
        return { update: { $set: { state: 'disabled' } }, guarded: true, endSessions: true };
      },
    );
  }

  enable(caller: Caller, { administratorId }: InputOf<typeof identityRpc.enableAdministrator>) {
    return this.change(
      caller,
      tenantOf(caller),
      administratorId,
      'administrator.enabled',
      (admin) => {
        if (admin.state !== 'disabled') return null;
        // Back to where it was: registered accounts are active, the others still invited.
        return { update: { $set: { state: admin.passwordHash ? 'active' : 'invited' } } };
      },
    );
  }

  async delete(
    caller: Caller,
    { administratorId }: InputOf<typeof identityRpc.deleteAdministrator>,
  ): Promise<Record<string, never>> {
    const consoleId = tenantOf(caller);
    const admin = await this.require(consoleId, administratorId);
    refuseSelf(caller, admin, 'delete');
    if (admin.kind === 'provider_support') throw providerSupportProtected(admin._id);
    const audited = this.audit.prepare(caller, {
      consoleId,
      action: 'administrator.deleted',
      target: { type: 'administrator', id: administratorId },
      before: toAdministratorView(admin),
      after: null,
    });
    const deleted = await this.guard.keepingOne(admin, () =>
      this.admins.deleteInConsole(consoleId, administratorId),
    );
    if (!deleted) throw administratorNotFound(administratorId);
    await this.sessions.revokeAll(administratorId, 'administrator-deleted');
    await this.audit.publish(audited);
    return {};
  }

  /**
   * One change of one administrator: decided on the record as read, written
   * only if the record is still that (compare-and-set on `updatedAt`), under
   * the super-admin guard when it could remove a super admin.
   */
  private async change(
    caller: Caller,
    consoleId: string,
    administratorId: string,
    action: string,
    decide: (admin: AdministratorRecord) => {
      update: UpdateQuery<AdministratorRecord>;
      guarded?: boolean;
      endSessions?: boolean;
    } | null,
  ): Promise<Administrator> {
    for (let attempt = 0; attempt < CHANGE_ATTEMPTS; attempt++) {
      const admin = await this.require(consoleId, administratorId);
      const decision = decide(admin);
      if (!decision) return toAdministratorView(admin);
      const now = new Date();
      const update: UpdateQuery<AdministratorRecord> = {
        ...decision.update,
        $set: { ...(decision.update.$set ?? {}), updatedAt: now },
      };
      const audited = this.audit.prepare(caller, {
        consoleId,
        action,
        target: { type: 'administrator', id: administratorId },
        before: toAdministratorView(admin, now),
      });
      const write = () =>
        this.admins.compareAndSet(
          administratorId,
          { consoleId, updatedAt: admin.updatedAt },
          update,
        );
      let before: AdministratorRecord | null;
      try {
        before = decision.guarded ? await this.guard.keepingOne(admin, write) : await write();
      } catch (error) {
        if (AdministratorRepository.isTaken(error)) {
          throw new DomainError(
            'ADMIN_PHONE_TAKEN',
            'another administrator has this phone number',
            {
              field: 'phone',
            },
          );
        }
        throw error;
      }
      if (!before) continue; // changed meanwhile: decide again on what is there now
      const after = await this.require(consoleId, administratorId);
      if (decision.endSessions) await this.sessions.revokeAll(administratorId, action);
      await this.audit.publish(
        this.audit.complete(audited, { after: toAdministratorView(after, now) }),
      );
      return toAdministratorView(after, now);
    }
    throw conflict(administratorId);
  }

  private async invite(caller: Caller, invitation: Invitation): Promise<AdministratorRecord> {
    const { consoleId, input } = invitation;
    const emailLower = input.email.toLowerCase();
    const existing = await this.admins.findByEmail(emailLower);
    if (existing) return this.finishInvitation(invitation, existing);

    const now = new Date();
    const id = newId();
    const link = await this.activation.newLink({ _id: id, consoleId });
    const record: AdministratorRecord = {
      _id: id,
      consoleId,
      email: input.email,
      emailLower,
      phone: input.phone ?? null,
      ...(input.phone ? { phoneDigits: phoneDigits(input.phone) } : {}),
      firstName: input.firstName,
      lastName: input.lastName,
      language: input.language ?? invitation.consoleLanguage,
      accountType: invitation.accountType,
      kind: invitation.kind,
      siteAccess: invitation.siteAccess,
      state: 'invited',
      creationKey: invitation.creation?.key ?? null,
      requestFingerprint: invitation.creation?.fingerprint ?? null,
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
      consoleId,
      action: 'administrator.invited',
      target: { type: 'administrator', id },
      after: toAdministratorView(record, now),
    });
    if ((await this.admins.insert(record)) === 'taken') {
      // A concurrent retry inserted the same e-mail first, or the e-mail or phone is someone else's.
      const winner = await this.admins.findByEmail(emailLower);
      if (winner) return this.finishInvitation(invitation, winner);
      throw new DomainError('ADMIN_PHONE_TAKEN', 'another administrator has this phone number', {
        field: 'phone',
      });
    }
    await this.activation.sendTo(record, link, invitation.consoleName);
    await this.audit.publish(audited);
    return record;
  }

  /**
   * The e-mail is known. The same invitation again (a retry: same console,
   * and the same key for keyed additions) is finished if a crash left its
   * e-mail unsent; anything else is someone else's login id.
   */
  private async finishInvitation(
    invitation: Invitation,
    existing: AdministratorRecord,
  ): Promise<AdministratorRecord> {
    const sameRequest =
      existing.consoleId === invitation.consoleId &&
      existing.creationKey === (invitation.creation?.key ?? null) &&
      existing.requestFingerprint === (invitation.creation?.fingerprint ?? null);
    if (!sameRequest) {
      throw new DomainError(
        'ADMIN_EMAIL_TAKEN',
        'this e-mail address already signs in to Warden; each administrator needs their own',
        { field: 'email' },
      );
    }
    if (existing.state !== 'invited' || !existing.activationLinkId) return existing;
    const link = await this.activation.linkOf(existing.activationLinkId);
    if (link?.mailQueuedAt) return existing;
    // The e-mail of this link may never have been queued: its token is gone
    // (only its hash is stored), so a new link replaces it.
    return (await this.activation.replaceLink(existing, invitation.consoleName)) ?? existing;
  }

  /** A keyed addition: the same key with another request is IDEMPOTENCY_KEY_REUSED. */
  private async keyedCreation(
    consoleId: string,
    key: string,
    fingerprint: string,
  ): Promise<KeyedCreation> {
    const earlier = await this.admins.findByCreationKey(consoleId, key);
    if (earlier && earlier.requestFingerprint !== fingerprint) {
      throw new DomainError(
        'IDEMPOTENCY_KEY_REUSED',
        'this Idempotency-Key was used for another administrator',
      );
    }
    return { key, fingerprint };
  }

  private async require(consoleId: string, administratorId: string): Promise<AdministratorRecord> {
    const admin = await this.admins.findInConsole(consoleId, administratorId);
    if (!admin) throw administratorNotFound(administratorId);
    return admin;
  }

  private consoleOf(caller: Caller, consoleId: string): Promise<ConsoleDetail> {
    return this.rpc.request(licensingRpc.getConsole, { caller, consoleId });
  }
}

/** The sites granted, each checked to be the console's; `no_access` is left out. */
function grantedSites(
  requested: Record<string, 'admin' | 'view_only' | 'no_access'>,
  detail: ConsoleDetail,
): Record<string, 'admin' | 'view_only'> {
  const sites = new Set(detail.sites.map((site) => site.id));
  const granted: Record<string, 'admin' | 'view_only'> = {};
  for (const [siteId, level] of Object.entries(requested)) {
    if (!sites.has(siteId.toLowerCase())) {
      throw new DomainError('SITE_NOT_FOUND', 'no such site in this console', { siteId });
    }
    if (level !== 'no_access') granted[siteId.toLowerCase()] = level;
  }
  return granted;
}

function refuseSelf(caller: Caller, admin: AdministratorRecord, what: string): void {
  if (caller.actor.type === 'admin' && caller.actor.id === admin._id) {
    throw new DomainError('CANNOT_CHANGE_SELF', `you cannot ${what} your own account`);
  }
}

function providerSupportProtected(administratorId: string): DomainError {
  return new DomainError(
    'PROVIDER_SUPPORT_PROTECTED',
    'provider-support administrators are managed by your provider',
    { administratorId },
  );
}

function conflict(administratorId: string): DomainError {
  return new DomainError('CONFLICT', 'this administrator is changing; retry', { administratorId });
}
