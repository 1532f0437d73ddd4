import { Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import {
  type Caller,
  EMAIL_ADDRESS,
  type identityRpc,
  type InputOf,
  phoneDigits,
  type ReplyOf,
  type Session,
} from '@warden/contracts';
import type { AdministratorRecord, RecoveryCodeEntry } from '../administrators/administrator.model';
import { AdministratorRepository } from '../administrators/administrator.repository';
import { IdentityAudit } from '../audit/identity-audit';
import { loginFailed } from '../identity.errors';
import { newOpaqueToken, sameText } from '../secrets/opaque-token';
import { PasswordHasher } from '../secrets/password-hasher';
import { SecretBox } from '../secrets/secret-box';
import { securityCodeContext, totpSecretContext } from '../secrets/secret-contexts';
import { SessionService } from '../sessions/session.service';
import { matchTotp } from '../two-factor/totp';
import { LoginAttemptRepository } from './login-attempt.repository';
import { SignInFailures } from './sign-in-failures';

const LOGIN_ID_LIFETIME_MS = 5 * 60_000;

/**
 * Sign-in in three steps (DESIGN §7b): password, two characters of the
 * personal security code, then a TOTP or recovery code when 2FA is on.
 * Every failure is LOGIN_FAILED whatever was wrong; an unknown login costs
 * the same password hashing as a known one. Only a caller who gave the right
 * password learns that the account is locked or disabled.
 */
@Injectable()
export class LoginService {
  constructor(
    private readonly admins: AdministratorRepository,
    private readonly attempts: LoginAttemptRepository,
    private readonly hasher: PasswordHasher,
    private readonly box: SecretBox,
    private readonly failures: SignInFailures,
    private readonly sessions: SessionService,
    private readonly audit: IdentityAudit,
  ) {}

  async start(
    caller: Caller,
    { login, password }: InputOf<typeof identityRpc.login>,
  ): Promise<ReplyOf<typeof identityRpc.login>> {
    const admin = await this.findByLogin(login);
    // Invited accounts have no password yet; their temporary one works only on the activation page.
    const usable = admin && admin.state !== 'invited' && admin.securityCodeSealed ? admin : null;
    if (!usable) {
      await this.hasher.spendVerifyTime(password);
      throw loginFailed();
    }
    if (!(await this.hasher.verify(usable.passwordHash, password))) {
      await this.failures.record(caller, usable, 'password');
      throw loginFailed();
    }
    this.failures.refuseIfBarred(usable);

    const codeLength = [...this.readSecurityCode(usable)].length;
    const positions = pickPositions(codeLength, usable.lastCodePositions);
    await this.admins.compareAndSet(usable._id, {}, { $set: { lastCodePositions: positions } });
    const now = new Date();
    const loginId = newOpaqueToken();
    await this.attempts.insert({
      _id: loginId,
      administratorId: usable._id,
      consoleId: usable.consoleId,
      positions,
      stage: 'security_code',
      expiresAt: new Date(now.getTime() + LOGIN_ID_LIFETIME_MS),
      createdAt: now,
    });
    return { loginId, step: 'security_code', positions: [positions[0]!, positions[1]!] };
  }

  async securityCode(
    caller: Caller,
    { loginId, characters }: InputOf<typeof identityRpc.loginSecurityCode>,
  ): Promise<ReplyOf<typeof identityRpc.loginSecurityCode>> {
    const attempt = await this.attempts.claim(loginId, 'security_code', 'security_code_tried');
    if (!attempt) throw loginFailed();
    const admin = await this.admins.findById(attempt.administratorId);
    if (!admin) throw loginFailed();
    this.failures.refuseIfBarred(admin);

    const code = [...this.readSecurityCode(admin)];
    const expected = attempt.positions.map((position) => code[position - 1] ?? '').join('');
    if (!sameText([...characters].join(''), expected) || [...characters].length !== 2) {
      await this.failures.record(caller, admin, 'security_code');
      throw loginFailed();
    }
    if (admin.twoFactorEnabledAt) {
      await this.attempts.advance(loginId, 'security_code_tried', 'totp');
      return { loginId, step: 'totp' };
    }
    return this.succeed(caller, admin, loginId, 'security_code_tried');
  }

  async totp(
    caller: Caller,
    { loginId, code, recoveryCode }: InputOf<typeof identityRpc.loginTotp>,
  ): Promise<Session> {
    const attempt = await this.attempts.claim(loginId, 'totp', 'totp_tried');
    if (!attempt) throw loginFailed();
    const admin = await this.admins.findById(attempt.administratorId);
    if (!admin || !admin.twoFactorEnabledAt || !admin.totpSecretSealed) throw loginFailed();
    this.failures.refuseIfBarred(admin);

    const accepted =
      code !== undefined
        ? await this.acceptTotp(admin, code)
        : recoveryCode !== undefined && (await this.useRecoveryCode(admin, recoveryCode));
    if (!accepted) {
      await this.failures.record(
        caller,
        admin,
        recoveryCode !== undefined ? 'recovery_code' : 'totp',
      );
      throw loginFailed();
    }
    return this.succeed(caller, admin, loginId, 'totp_tried');
  }

  /**
   * A current code of the account's secret, for a time step after the last
   * one accepted (compare-and-set), so a code seen once cannot be replayed.
   */
  async acceptTotp(admin: AdministratorRecord, code: string): Promise<boolean> {
    const secret = this.box.open(admin.totpSecretSealed!, totpSecretContext(admin._id));
    const step = matchTotp(code, secret);
    if (step === null) return false;
    const before = await this.admins.compareAndSet(
      admin._id,
      { totpLastStep: { $lt: step } },
      { $set: { totpLastStep: step } },
    );
    return before !== null;
  }

  private async useRecoveryCode(admin: AdministratorRecord, code: string): Promise<boolean> {
    const entries = admin.recoveryCodes as RecoveryCodeEntry[];
    const normalised = code.replace(/-/g, '').toLowerCase();
    const matches = await Promise.all(
      entries.map((entry) =>
        entry.usedAt ? Promise.resolve(false) : this.hasher.verify(entry.hash, normalised),
      ),
    );
    const index = matches.indexOf(true);
    if (index < 0) return false;
    // Used once: only the write that finds it unused takes it.
    const before = await this.admins.compareAndSet(
      admin._id,
      {
        [`recoveryCodes.${index}.usedAt`]: null,
        [`recoveryCodes.${index}.hash`]: entries[index]!.hash,
      },
      { $set: { [`recoveryCodes.${index}.usedAt`]: new Date() } },
    );
    if (!before) return false;
    await this.audit.record(
      { actor: { type: 'admin', id: admin._id } },
      {
        consoleId: admin.consoleId,
        action: 'two-factor.recovery-code-used',
        target: { type: 'administrator', id: admin._id },
        after: { recoveryCodesLeft: entries.filter((e) => !e.usedAt).length - 1 },
      },
    );
    return true;
  }

  private async succeed(
    caller: Caller,
    admin: AdministratorRecord,
    loginId: string,
    stage: 'security_code_tried' | 'totp_tried',
  ): Promise<Session> {
    await this.attempts.advance(loginId, stage, 'done');
    await this.failures.clear(admin);
    const session = await this.sessions.start(admin);
    await this.audit.record(
      { ...caller, actor: { type: 'admin', id: admin._id } },
      {
        consoleId: admin.consoleId,
        action: 'login.succeeded',
        target: { type: 'administrator', id: admin._id },
        after: { twoFactor: session.twoFactor },
      },
    );
    return session;
  }

  private readSecurityCode(admin: AdministratorRecord): string {
    return this.box.open(admin.securityCodeSealed!, securityCodeContext(admin._id));
  }

  private findByLogin(login: string): Promise<AdministratorRecord | null> {
    const trimmed = login.trim();
    if (EMAIL_ADDRESS.test(trimmed)) return this.admins.findByEmail(trimmed.toLowerCase());
    const digits = phoneDigits(trimmed);
    return digits.length >= 6 ? this.admins.findByPhone(digits) : Promise.resolve(null);
  }
}

/**
 * Two different 1-based positions of a code of `length` characters, in
 * random order, and never the pair asked last time (DESIGN §7b).
 */
export function pickPositions(length: number, previous: readonly number[]): number[] {
  for (;;) {
    const first = randomInt(1, length + 1);
    let second = randomInt(1, length);
    if (second >= first) second++;
    if (previous.length !== 2 || first !== previous[0] || second !== previous[1]) {
      return [first, second];
    }
  }
}
