import { Injectable } from '@nestjs/common';
import {
  type Caller,
  CREDENTIAL_RULE_MESSAGES,
  type identityRpc,
  type InputOf,
  licensingRpc,
  type Me,
  passwordRulesBroken,
} from '@warden/contracts';
import { DomainError, NatsRpcClient, ruleViolations, tenantOf } from '@warden/platform';
import type { AdministratorRecord } from '../administrators/administrator.model';
import { AdministratorRepository } from '../administrators/administrator.repository';
import { IdentityAudit } from '../audit/identity-audit';
import { credentialsIncorrect } from '../identity.errors';
import { PasswordHasher } from '../secrets/password-hasher';
import { SessionService } from '../sessions/session.service';

/** The signed-in administrator's own account (DESIGN §7b "me"). */
@Injectable()
export class MeService {
  constructor(
    private readonly admins: AdministratorRepository,
    private readonly hasher: PasswordHasher,
    private readonly rpc: NatsRpcClient,
    private readonly audit: IdentityAudit,
    private readonly sessions: SessionService,
  ) {}

  async get(caller: Caller): Promise<Me> {
    return this.view(caller, await this.require(caller));
  }

  async update(caller: Caller, { language }: InputOf<typeof identityRpc.updateMe>): Promise<Me> {
    const admin = await this.require(caller);
    if (admin.language === language) return this.view(caller, admin);
    const audited = this.audit.prepare(caller, {
      consoleId: admin.consoleId,
      action: 'administrator.updated',
      target: { type: 'administrator', id: admin._id },
      before: { language: admin.language },
      after: { language },
    });
    const before = await this.admins.compareAndSet(
      admin._id,
      { consoleId: admin.consoleId },
      { $set: { language, updatedAt: new Date() } },
    );
    if (!before) throw signInAgain();
    await this.audit.publish(audited);
    return this.view(caller, { ...before, language });
  }

  async changePassword(
    caller: Caller,
    { sessionId, currentPassword, newPassword }: InputOf<typeof identityRpc.changePassword>,
  ): Promise<Record<string, never>> {
    const admin = await this.require(caller);
    const broken = passwordRulesBroken(newPassword, admin.email);
    if (broken.length > 0) throw ruleViolations({ newPassword: broken }, CREDENTIAL_RULE_MESSAGES);
    if (!(await this.hasher.verify(admin.passwordHash, currentPassword))) {
      throw credentialsIncorrect();
    }
    const passwordHash = await this.hasher.hash(newPassword);
    const audited = this.audit.prepare(caller, {
      consoleId: admin.consoleId,
      action: 'password.changed',
      target: { type: 'administrator', id: admin._id },
    });
    // Conditional on the password it checked: two changes at once cannot both win.
    const before = await this.admins.compareAndSet(
      admin._id,
      { consoleId: admin.consoleId, passwordHash: admin.passwordHash },
      { $set: { passwordHash, updatedAt: new Date() } },
    );
    if (!before) throw credentialsIncorrect();
    // Whoever else knew the old password is signed out; this session goes on.
    await this.sessions.revokeAllBut(admin._id, sessionId, 'password-changed');
    await this.audit.publish(audited);
    return {};
  }

  private async require(caller: Caller): Promise<AdministratorRecord> {
    const admin = await this.admins.findInConsole(tenantOf(caller), caller.actor.id);
    if (!admin || admin.state === 'disabled') throw signInAgain();
    return admin;
  }

  /** Site access per site of the console: a super admin administers every one. */
  private async view(caller: Caller, admin: AdministratorRecord): Promise<Me> {
    const detail = await this.rpc.request(licensingRpc.getConsole, {
      caller,
      consoleId: admin.consoleId,
    });
    const granted = admin.siteAccess as Record<string, 'admin' | 'view_only'>;
    const siteAccess: Me['siteAccess'] = {};
    for (const site of detail.sites) {
      siteAccess[site.id] =
        admin.accountType === 'super_admin' ? 'admin' : (granted[site.id] ?? 'no_access');
    }
    return {
      id: admin._id,
      consoleId: admin.consoleId,
      consoleName: detail.console.name,
      email: admin.email,
      phone: admin.phone,
      firstName: admin.firstName,
      lastName: admin.lastName,
      language: admin.language,
      accountType: admin.accountType,
      kind: admin.kind,
      siteAccess,
      twoFactor: admin.twoFactorEnabledAt ? 'enabled' : 'not_set_up',
    };
  }
}

function signInAgain(): DomainError {
  return new DomainError('UNAUTHENTICATED', 'this account can no longer sign in; sign in again');
}
