import { defineModel, type RecordOf } from '@warden/platform';

/**
 * The steps a `loginId` may still take. Each step is taken once: it is
 * claimed (moved to its `_tried` state) in one atomic write before it is
 * checked, so the same loginId cannot be used to guess twice.
 */
export const LOGIN_STAGES = [
  'security_code',
  'security_code_tried',
  'totp',
  'totp_tried',
  'done',
] as const;

/** A sign-in in progress after a right password: lives 5 minutes (DESIGN §7b). */
export const LoginAttemptModel = defineModel(
  'LoginAttempt',
  'login_attempts',
  {
    _id: { type: String, required: true },
    administratorId: { type: String, required: true },
    consoleId: { type: String, required: true },
    positions: { type: [Number], required: true },
    stage: { type: String, enum: LOGIN_STAGES, required: true },
    expiresAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
  },
  (schema) => {
    schema.index({ expiresAt: 1 });
  },
);
export type LoginAttemptRecord = RecordOf<typeof LoginAttemptModel>;
export type LoginStage = (typeof LOGIN_STAGES)[number];
