import {
  answerRecoveryRequestSchema,
  changePasswordRequestSchema,
  completeActivationRequestSchema,
  confirmTwoFactorSetupRequestSchema,
  disableTwoFactorRequestSchema,
  loginRequestSchema,
  refreshRequestSchema,
  resetPasswordRequestSchema,
  securityCodeRequestSchema,
  startRecoveryRequestSchema,
  startTwoFactorSetupRequestSchema,
  totpRequestSchema,
  twoFactorAnswerSchema,
  updateMeRequestSchema,
} from '@warden/contracts';
import { z } from 'zod';
import { documentAs } from '../http/openapi';

/**
 * HTTP bodies of the console API (`/api/v1`), each the identity contract's
 * request without what the request itself gives (the caller, a path
 * parameter). Every body is strict: an unknown property is refused with
 * VALIDATION_FAILED naming it, never dropped — a mistyped `recoverCode`
 * must not read as "no recovery code".
 */

// Activation and recovery (no sign-in)
export const activationBody = completeActivationRequestSchema
  .omit({ caller: true, token: true })
  .strict();
export const startRecoveryBody = startRecoveryRequestSchema.omit({ caller: true }).strict();
export const answerRecoveryBody = answerRecoveryRequestSchema
  .omit({ caller: true, recoveryId: true })
  .strict();
export const resetPasswordBody = resetPasswordRequestSchema
  .omit({ caller: true, token: true })
  .strict();

// Signing in
export const loginBody = loginRequestSchema.omit({ caller: true }).strict();
export const securityCodeBody = securityCodeRequestSchema
  .omit({ caller: true, loginId: true })
  .strict();

/**
 * `{ code }` or `{ recoveryCode }`, exactly one: with both, which one was
 * checked would be a guess; with neither, there is nothing to check.
 * Documented as exactly one property of the two (`minProperties`/`maxProperties`).
 */
export const totpBody = documentAs(
  totpRequestSchema
    .omit({ caller: true, loginId: true })
    .strict()
    .superRefine((body, context) => {
      if ((body.code === undefined) !== (body.recoveryCode === undefined)) return;
      context.addIssue({
        code: z.ZodIssueCode.custom,
        path: [],
        message: 'give either `code` (from the authenticator app) or `recoveryCode`, not both',
        params: { rule: 'exactly_one' },
      });
    }),
  { minProperties: 1, maxProperties: 1 },
);
export const refreshBody = refreshRequestSchema.omit({ caller: true }).strict();

// The signed-in administrator
export const updateMeBody = updateMeRequestSchema.omit({ caller: true }).strict();
export const changePasswordBody = changePasswordRequestSchema.omit({ caller: true }).strict();
const contractAnswers = startTwoFactorSetupRequestSchema.shape.answers;

/** Each answer strict too, then the contract's own rule (two different questions). */
export const startTwoFactorSetupBody = startTwoFactorSetupRequestSchema
  .omit({ caller: true })
  .extend({
    answers: z
      .array(twoFactorAnswerSchema.strict())
      .length(2)
      .superRefine((answers, context) => {
        const checked = contractAnswers.safeParse(answers);
        if (!checked.success) checked.error.issues.forEach((issue) => context.addIssue(issue));
      }),
  })
  .strict();
export const confirmTwoFactorSetupBody = confirmTwoFactorSetupRequestSchema
  .omit({ caller: true, setupId: true })
  .strict();
export const disableTwoFactorBody = disableTwoFactorRequestSchema.omit({ caller: true }).strict();
