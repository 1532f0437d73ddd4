import { ACCOUNT_TYPES, ADMIN_KINDS, LANGUAGES } from '@warden/contracts';
import { defineModel, type RecordOf } from '@warden/platform';

/** States stored; `locked` is derived from `lockedUntil` (it ends by itself). */
export const STORED_ADMIN_STATES = ['invited', 'active', 'disabled'] as const;

/**
 * An administrator as stored; `Administrator` (libs/contracts) is what callers
 * see. Secrets are never stored in the clear: the password, the security
 * answer and the recovery codes as argon2id hashes, the security code and the
 * TOTP secret sealed with AES-256-GCM (SecretBox), since the server reads them.
 */
export const AdministratorModel = defineModel(
  'Administrator',
  'administrators',
  {
    _id: { type: String, required: true },
    consoleId: { type: String, required: true },
    email: { type: String, required: true },
    /** The login id: e-mail addresses are compared without regard to case, platform-wide. */
    emailLower: { type: String, required: true },
    phone: { type: String, default: null },
    /** Digits of the phone (the other login id); absent without a phone (sparse unique). */
    phoneDigits: { type: String },
    firstName: { type: String, required: true },
    lastName: { type: String, required: true },
    language: { type: String, enum: LANGUAGES, required: true },
    accountType: { type: String, enum: ACCOUNT_TYPES, required: true },
    kind: { type: String, enum: ADMIN_KINDS, required: true },
    /** Site id → `admin` | `view_only` for `admin` accounts (absent site: no access). */
    siteAccess: { type: Object, default: () => ({}) },
    state: { type: String, enum: STORED_ADMIN_STATES, required: true },
    /** The idempotency key of the request that added it: a retried add finds it. */
    creationKey: { type: String, default: null },
    /** Of that request: the same key with another request is refused. */
    requestFingerprint: { type: String, default: null },

    /** While invited: the hash id of the one activation link that works. */
    activationLinkId: { type: String, default: null },
    invitationExpiresAt: { type: Date, default: null },

    passwordHash: { type: String, default: null },
    securityCodeSealed: { type: String, default: null },
    securityQuestion: { type: String, default: null },
    securityAnswerHash: { type: String, default: null },
    /** The code positions asked last time: the next attempt asks others. */
    lastCodePositions: { type: [Number], default: () => [] },

    failedAttempts: { type: Number, default: 0 },
    lockedUntil: { type: Date, default: null },

    totpSecretSealed: { type: String, default: null },
    twoFactorEnabledAt: { type: Date, default: null },
    /** The two additional questions answered when 2FA was set up. */
    twoFactorQuestions: {
      type: [
        {
          _id: false,
          question: { type: String, required: true },
          answerHash: { type: String, required: true },
        },
      ],
      default: () => [],
    },
    /** `{ hash, usedAt }` ×10: each works once in place of a TOTP code. */
    recoveryCodes: {
      type: [
        {
          _id: false,
          hash: { type: String, required: true },
          usedAt: { type: Date, default: null },
        },
      ],
      default: () => [],
    },
    /** The last TOTP time step accepted: a code is accepted once (RFC 6238 §5.2). */
    totpLastStep: { type: Number, default: 0 },

    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  (schema) => {
    schema.index({ emailLower: 1 }, { unique: true });
    schema.index({ phoneDigits: 1 }, { unique: true, sparse: true });
    schema.index({ consoleId: 1, _id: 1 });
  },
);
export type AdministratorRecord = RecordOf<typeof AdministratorModel>;

export interface RecoveryCodeEntry {
  hash: string;
  usedAt: Date | null;
}

export interface TwoFactorQuestion {
  question: string;
  answerHash: string;
}
