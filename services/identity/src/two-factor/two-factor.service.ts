import { Injectable } from '@nestjs/common';
import {
  type Caller,
  type identityRpc,
  type InputOf,
  RECOVERY_CODE_COUNT,
  type ReplyOf,
} from '@warden/contracts';
import { DomainError, tenantOf } from '@warden/platform';
import QRCode from 'qrcode';
import type { AdministratorRecord } from '../administrators/administrator.model';
import { AdministratorRepository } from '../administrators/administrator.repository';
import { IdentityAudit } from '../audit/identity-audit';
import { credentialsIncorrect } from '../identity.errors';
import { newOpaqueToken, readableSecret } from '../secrets/opaque-token';
import { PasswordHasher } from '../secrets/password-hasher';
import { SecretBox } from '../secrets/secret-box';
import { normalisedAnswer, totpSecretContext } from '../secrets/secret-contexts';
import { LoginService } from '../sign-in/login.service';
import { matchTotp, newTotpSecret, otpauthUri } from './totp';
import { TwoFactorSetupRepository } from './two-factor-setup.repository';

const SETUP_LIFETIME_MS = 15 * 60_000;
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/**
 * Two-factor authentication (DESIGN §3, journey 4): questions → secret and
 * QR code → a confirmed code turns it on and shows 10 recovery codes once.
 * Until that confirmation the account is untouched.
 */
@Injectable()
export class TwoFactorService {
  constructor(
    private readonly admins: AdministratorRepository,
    private readonly setups: TwoFactorSetupRepository,
    private readonly hasher: PasswordHasher,
    private readonly box: SecretBox,
    private readonly login: LoginService,
    private readonly audit: IdentityAudit,
  ) {}

  async start(
    caller: Caller,
    { answers }: InputOf<typeof identityRpc.startTwoFactorSetup>,
  ): Promise<ReplyOf<typeof identityRpc.startTwoFactorSetup>> {
    const admin = await this.me(caller);
    if (admin.twoFactorEnabledAt) throw alreadyEnabled();
    const secret = newTotpSecret();
    const uri = otpauthUri(admin.email, secret);
    const now = new Date();
    const expiresAt = new Date(now.getTime() + SETUP_LIFETIME_MS);
    const setupId = newOpaqueToken();
    await this.setups.insert({
      _id: setupId,
      administratorId: admin._id,
      consoleId: admin.consoleId,
      secretSealed: this.box.seal(secret, totpSecretContext(admin._id)),
      questions: await Promise.all(
        answers.map(async ({ question, answer }) => ({
          question,
          answerHash: await this.hasher.hash(normalisedAnswer(answer)),
        })),
      ),
      expiresAt,
      createdAt: now,
    });
    return {
      setupId,
      secret,
      otpauthUri: uri,
      qrCode: await QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 2, width: 240 }),
      expiresAt: expiresAt.toISOString(),
    };
  }

  async confirm(
    caller: Caller,
    { setupId, code }: InputOf<typeof identityRpc.confirmTwoFactorSetup>,
  ): Promise<ReplyOf<typeof identityRpc.confirmTwoFactorSetup>> {
    const consoleId = tenantOf(caller);
    const setup = await this.setups.findLive(consoleId, caller.actor.id, setupId);
    if (!setup) throw setupNotFound();
    const secret = this.box.open(setup.secretSealed, totpSecretContext(caller.actor.id));
    const step = matchTotp(code, secret);
    if (step === null) {
      throw new DomainError(
        'TWO_FACTOR_CODE_INVALID',
        'the code does not match; check the app and the clock',
        {
          fields: { code: ['incorrect'] },
        },
      );
    }
    const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, () =>
      readableSecret(10, RECOVERY_ALPHABET),
    );
    const hashes = await Promise.all(recoveryCodes.map((c) => this.hasher.hash(c)));
    const audited = this.audit.prepare(caller, {
      consoleId,
      action: 'two-factor.enabled',
      target: { type: 'administrator', id: caller.actor.id },
      before: { twoFactor: 'not_set_up' },
      after: { twoFactor: 'enabled' },
    });
    const enabled = await this.admins.compareAndSet(
      caller.actor.id,
      { consoleId, twoFactorEnabledAt: null },
      {
        $set: {
          totpSecretSealed: setup.secretSealed,
          twoFactorEnabledAt: new Date(),
          twoFactorQuestions: setup.questions,
          recoveryCodes: hashes.map((hash) => ({ hash, usedAt: null })),
          // The confirming code is used: it cannot sign anyone in afterwards.
          totpLastStep: step,
          updatedAt: new Date(),
        },
      },
    );
    await this.setups.delete(consoleId, caller.actor.id, setupId);
    if (!enabled) throw alreadyEnabled();
    await this.audit.publish(audited);
    return { recoveryCodes: recoveryCodes.map((c) => `${c.slice(0, 5)}-${c.slice(5)}`) };
  }

  async cancel(
    caller: Caller,
    { setupId }: InputOf<typeof identityRpc.cancelTwoFactorSetup>,
  ): Promise<Record<string, never>> {
    if (!(await this.setups.delete(tenantOf(caller), caller.actor.id, setupId))) {
      throw setupNotFound();
    }
    return {};
  }

  /** Needs the password and a current code, so a session left open cannot turn 2FA off. */
  async disable(
    caller: Caller,
    { password, code }: InputOf<typeof identityRpc.disableTwoFactor>,
  ): Promise<Record<string, never>> {
    const admin = await this.me(caller);
    if (!admin.twoFactorEnabledAt) {
      throw new DomainError('TWO_FACTOR_NOT_ENABLED', 'two-factor authentication is not on');
    }
    const passwordOk = await this.hasher.verify(admin.passwordHash, password);
    if (!passwordOk || !(await this.login.acceptTotp(admin, code))) throw credentialsIncorrect();
    const audited = this.audit.prepare(caller, {
      consoleId: admin.consoleId,
      action: 'two-factor.disabled',
      target: { type: 'administrator', id: admin._id },
      before: { twoFactor: 'enabled' },
      after: { twoFactor: 'not_set_up' },
    });
    const disabled = await this.admins.compareAndSet(
      admin._id,
      { consoleId: admin.consoleId, twoFactorEnabledAt: { $ne: null } },
      {
        $set: {
          totpSecretSealed: null,
          twoFactorEnabledAt: null,
          twoFactorQuestions: [],
          recoveryCodes: [],
          updatedAt: new Date(),
        },
      },
    );
    if (disabled) await this.audit.publish(audited);
    return {};
  }

  private async me(caller: Caller): Promise<AdministratorRecord> {
    const admin = await this.admins.findInConsole(tenantOf(caller), caller.actor.id);
    // The token was valid, the account is gone: the session is over.
    if (!admin) throw new DomainError('UNAUTHENTICATED', 'sign in again');
    return admin;
  }
}

function alreadyEnabled(): DomainError {
  return new DomainError('TWO_FACTOR_ALREADY_ENABLED', 'two-factor authentication is already on');
}

function setupNotFound(): DomainError {
  return new DomainError(
    'TWO_FACTOR_SETUP_NOT_FOUND',
    'this 2FA setup has ended (finished, cancelled or expired); start again',
  );
}
