import {
  addAdministratorRequestSchema,
  ADMIN_STATES,
  answerRecoveryRequestSchema,
  consoleSettingsChangesSchema,
  copyPolicyRequestSchema,
  LANGUAGES,
  policyChangesSchema,
  listAdministratorsRequestSchema,
  queryInt,
  siteSettingsChangesSchema,
  sitePermissionsSchema,
  updateAdministratorRequestSchema,
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
  somethingToChange,
} from '@warden/contracts';
import { z } from 'zod';
import { idInput } from '../http/id-param';
import { documentAs } from '../http/openapi';
import { reportRecipients } from '../http/shared.schemas';

/**
 * HTTP bodies of the console API (`/api/v1`), each the identity or licensing contract's
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
export const changePasswordBody = changePasswordRequestSchema
  .omit({ caller: true, sessionId: true })
  .strict();
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

// Administrators (super admins): the console is the caller's, from the token.

/** Site id → access, for `admin` accounts; a site left out (or `no_access`) is not visible to them. */
const sitePermissions = sitePermissionsSchema.describe(
  'site id → `admin`, `view_only` or `no_access`; a site left out has no access. Ignored for super admins',
);

export const listAdministratorsQuery = z
  .object({
    state: z.enum(ADMIN_STATES).optional(),
    // The contract's page size: 1–200, 50 when absent.
    limit: queryInt(1, 200).optional(),
    cursor: listAdministratorsRequestSchema.shape.cursor,
  })
  .strict();
export const addAdministratorBody = addAdministratorRequestSchema
  .omit({ caller: true, idempotencyKey: true })
  .extend({ siteAccess: sitePermissions.default({}) })
  .strict();
export const updateAdministratorBody = documentAs(
  somethingToChange(
    updateAdministratorRequestSchema.shape.patch
      .innerType()
      .extend({ siteAccess: sitePermissions.optional() }),
  ),
  { minProperties: 1 },
);

// Console and site settings

export const updateConsoleSettingsBody = documentAs(
  somethingToChange(consoleSettingsChangesSchema.innerType()),
  { minProperties: 1 },
);
/**
 * Name, comment, report recipients and the default endpoint policy (a policy
 * of the console or a built-in; null in a site means Recommended Defaults):
 * seats and enforcement stay the provider's (ops API).
 */
export const updateSiteSettingsBody = documentAs(
  somethingToChange(
    siteSettingsChangesSchema.innerType().extend({
      reportRecipients: reportRecipients.optional(),
      defaultPolicyId: idInput.optional(),
    }),
  ),
  { minProperties: 1 },
);

// Policies (the console's and the built-ins)

/**
 * The language of the labels of a policy's settings (`ja` or `en`). The
 * access token does not carry the administrator's language, so the console
 * says which it shows; English when it says nothing.
 */
const language = z.enum(LANGUAGES).optional();
export const policyLanguageQuery = z.object({ language }).strict();
export const copyPolicyBody = copyPolicyRequestSchema
  .omit({ caller: true, idempotencyKey: true, language: true })
  .extend({ sourcePolicyId: idInput })
  .strict();
/** Any of name, description and settings (any subset of sections and settings of the catalog). */
export const updatePolicyBody = documentAs(somethingToChange(policyChangesSchema.innerType()), {
  minProperties: 1,
});
/** Where the policy's users go first; without one a policy in use is refused (POLICY_IN_USE). */
export const deletePolicyQuery = z.object({ replacementPolicyId: idInput.optional() }).strict();
