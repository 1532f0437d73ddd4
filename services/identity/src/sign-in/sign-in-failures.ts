import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@warden/contracts';
import type { AdministratorRecord } from '../administrators/administrator.model';
import { AdministratorRepository } from '../administrators/administrator.repository';
import { isLocked } from '../administrators/administrator.view';
import { IdentityAudit } from '../audit/identity-audit';
import type { IdentityConfig } from '../config';
import { accountDisabled, accountLocked } from '../identity.errors';
import { IDENTITY_CONFIG } from '../identity.tokens';

/**
 * Failed sign-in steps, counted per account whichever factor failed: the
 * `LOGIN_MAX_FAILURES`th in a row locks the account for
 * `LOGIN_LOCKOUT_SECONDS`; a complete sign-in clears the count. Each failure
 * and each lockout is audited.
 */
@Injectable()
export class SignInFailures {
  constructor(
    private readonly admins: AdministratorRepository,
    private readonly audit: IdentityAudit,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {}

  async record(caller: Caller, admin: AdministratorRecord, step: string): Promise<void> {
    const before = await this.admins.countFailure(admin._id);
    if (before === null) return;
    await this.audit.record(caller, {
      consoleId: admin.consoleId,
      action: 'login.failed',
      target: { type: 'administrator', id: admin._id },
      outcome: 'failure',
      after: { step },
    });
    if (before + 1 < this.config.loginMaxFailures) return;
    const lockedUntil = new Date(Date.now() + this.config.loginLockoutSeconds * 1000);
    // Only the failure that reached the limit locks, from the count it saw.
    const locked = await this.admins.compareAndSet(
      admin._id,
      { failedAttempts: before + 1 },
      { $set: { lockedUntil, failedAttempts: 0, updatedAt: new Date() } },
    );
    if (locked) {
      await this.audit.record(caller, {
        consoleId: admin.consoleId,
        action: 'administrator.locked',
        target: { type: 'administrator', id: admin._id },
        outcome: 'failure',
        before: { state: 'active' },
        after: { state: 'locked', lockedUntil: lockedUntil.toISOString() },
      });
    }
  }

  async clear(admin: AdministratorRecord): Promise<void> {
    if (admin.failedAttempts === 0 && admin.lockedUntil === null) return;
    await this.admins.compareAndSet(
      admin._id,
      {},
      { $set: { failedAttempts: 0, lockedUntil: null } },
    );
  }

  /** For a caller who proved the password: a locked or disabled account says so. */
  refuseIfBarred(admin: AdministratorRecord, now = new Date()): void {
    if (admin.state === 'disabled') throw accountDisabled();
    if (isLocked(admin, now)) throw accountLocked(admin.lockedUntil!, now);
  }
}
