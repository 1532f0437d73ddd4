import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  type Caller,
  CREDENTIAL_RULE_MESSAGES,
  type identityRpc,
  type InputOf,
  passwordRulesBroken,
  type ReplyOf,
} from '@warden/contracts';
import { DomainError, ruleViolations } from '@warden/platform';
import { AdministratorRepository } from '../administrators/administrator.repository';
import { IdentityAudit } from '../audit/identity-audit';
import type { IdentityConfig } from '../config';
import { IDENTITY_CONFIG } from '../identity.tokens';
import { IdentityMailer } from '../mail/identity-mailer';
import { newOpaqueToken, tokenHash } from '../secrets/opaque-token';
import { PasswordHasher } from '../secrets/password-hasher';
import { normalisedAnswer } from '../secrets/secret-contexts';
import { SessionService } from '../sessions/session.service';
import { SignInFailures } from '../sign-in/sign-in-failures';
import { RecoveryRepository } from './recovery.repository';

const ATTEMPT_LIFETIME_MS = 10 * 60_000;

/**
 * Shown for an address that has no account (or cannot recover yet): always
 * the same one for the same address, so asking twice does not give it away.
 */
const DECOY_QUESTIONS = [
  'What was the name of your first pet?',
  'In which city were you born?',
  'What was the name of your first school?',
  '初めて飼ったペットの名前は？',
  '生まれた町の名前は？',
  '最初に通った学校の名前は？',
] as const;

/**
 * Password recovery (DESIGN §3, journey 5): e-mail → the account's security
 * question → the answer → a reset link by e-mail (single use, 1 h) → a new
 * password under the same rules. Replies are the same for unknown
 * addresses and wrong answers; a wrong answer counts as a failed sign-in.
 */
@Injectable()
export class RecoveryService {
  constructor(
    private readonly recoveries: RecoveryRepository,
    private readonly admins: AdministratorRepository,
    private readonly hasher: PasswordHasher,
    private readonly failures: SignInFailures,
    private readonly sessions: SessionService,
    private readonly mailer: IdentityMailer,
    private readonly audit: IdentityAudit,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {}

  async start(
    _caller: Caller,
    { email }: InputOf<typeof identityRpc.startRecovery>,
  ): Promise<ReplyOf<typeof identityRpc.startRecovery>> {
    const emailLower = email.trim().toLowerCase();
    const admin = await this.admins.findByEmail(emailLower);
    const recoverable = admin?.state === 'active' && admin.securityQuestion ? admin : null;
    const now = new Date();
    const recoveryId = newOpaqueToken();
    await this.recoveries.insertAttempt({
      _id: recoveryId,
      administratorId: recoverable?._id ?? null,
      answered: false,
      expiresAt: new Date(now.getTime() + ATTEMPT_LIFETIME_MS),
      createdAt: now,
    });
    return {
      recoveryId,
      question: recoverable?.securityQuestion ?? this.decoyQuestion(emailLower),
    };
  }

  async answer(
    caller: Caller,
    { recoveryId, answer }: InputOf<typeof identityRpc.answerRecovery>,
  ): Promise<Record<string, never>> {
    const attempt = await this.recoveries.claimAttempt(recoveryId);
    const admin = attempt?.administratorId
      ? await this.admins.findById(attempt.administratorId)
      : null;
    if (!admin || admin.state !== 'active') {
      await this.hasher.spendVerifyTime(answer);
      return {};
    }
    if (!(await this.hasher.verify(admin.securityAnswerHash, normalisedAnswer(answer)))) {
      await this.failures.record(caller, admin, 'security_answer');
      return {};
    }
    const token = newOpaqueToken();
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.config.passwordResetTtlMinutes * 60_000);
    const id = tokenHash(token);
    await this.recoveries.insertReset({
      _id: id,
      administratorId: admin._id,
      expiresAt,
      usedAt: null,
      createdAt: now,
    });
    await this.mailer.sendPasswordReset(id, admin.email, admin.language, {
      firstName: admin.firstName,
      lastName: admin.lastName,
      link: this.mailer.link('reset-password', token),
      expiresAt,
    });
    await this.audit.record(caller, {
      consoleId: admin.consoleId,
      action: 'password.reset-requested',
      target: { type: 'administrator', id: admin._id },
    });
    return {};
  }

  /** A new password from a reset link; every session of the account ends with the old one. */
  async reset(
    caller: Caller,
    { token, password }: InputOf<typeof identityRpc.resetPassword>,
  ): Promise<Record<string, never>> {
    const reset = await this.recoveries.findReset(tokenHash(token));
    if (!reset) throw resetError('RESET_LINK_UNKNOWN');
    if (reset.usedAt) throw resetError('RESET_LINK_USED');
    if (reset.expiresAt <= new Date()) throw resetError('RESET_LINK_EXPIRED');
    const admin = await this.admins.findById(reset.administratorId);
    if (!admin) throw resetError('RESET_LINK_UNKNOWN');
    const broken = passwordRulesBroken(password, admin.email);
    if (broken.length > 0) throw ruleViolations({ password: broken }, CREDENTIAL_RULE_MESSAGES);

    const passwordHash = await this.hasher.hash(password);
    const audited = this.audit.prepare(caller, {
      consoleId: admin.consoleId,
      action: 'password.reset',
      target: { type: 'administrator', id: admin._id },
    });
    if (!(await this.recoveries.useReset(reset._id, new Date())))
      throw resetError('RESET_LINK_USED');
    await this.admins.compareAndSet(
      admin._id,
      {},
      { $set: { passwordHash, failedAttempts: 0, lockedUntil: null, updatedAt: new Date() } },
    );
    await this.sessions.revokeAll(admin._id, 'password-reset');
    await this.audit.publish(audited);
    return {};
  }

  private decoyQuestion(emailLower: string): string {
    const digest = createHmac('sha256', this.config.secretsEncryptionKey)
      .update(`decoy-question:${emailLower}`)
      .digest();
    return DECOY_QUESTIONS[digest.readUInt32BE(0) % DECOY_QUESTIONS.length]!;
  }
}

const RESET_MESSAGES = {
  RESET_LINK_UNKNOWN: 'this reset link is not valid; check it was copied whole',
  RESET_LINK_USED: 'this reset link was used already; ask for a new one if needed',
  RESET_LINK_EXPIRED: 'this reset link has expired; ask for a new one',
} as const;

function resetError(code: keyof typeof RESET_MESSAGES): DomainError {
  return new DomainError(code, RESET_MESSAGES[code]);
}
