import { defineModel, type RecordOf } from '@warden/platform';

/**
 * A password recovery in progress: the question was shown, one answer may
 * follow. For an unknown e-mail it exists too (no account, a decoy
 * question), so the replies never tell whether an address signs in.
 */
export const RecoveryAttemptModel = defineModel(
  'RecoveryAttempt',
  'recovery_attempts',
  {
    _id: { type: String, required: true },
    administratorId: { type: String, default: null },
    answered: { type: Boolean, default: false },
    expiresAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
  },
  (schema) => {
    schema.index({ expiresAt: 1 });
  },
);
export type RecoveryAttemptRecord = RecordOf<typeof RecoveryAttemptModel>;

/** A reset link sent by e-mail: single use, one hour. The id is the SHA-256 of its token. */
export const PasswordResetModel = defineModel(
  'PasswordReset',
  'password_resets',
  {
    _id: { type: String, required: true },
    administratorId: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
  },
  (schema) => {
    schema.index({ expiresAt: 1 });
  },
);
export type PasswordResetRecord = RecordOf<typeof PasswordResetModel>;
