import {
  activationFormSchema,
  PASSWORD_MIN_DIGITS,
  PASSWORD_MIN_LENGTH,
  PASSWORD_MIN_LETTERS,
  passwordRulesBroken,
  type PasswordRule,
  SECURITY_CODE_MIN_LENGTH,
  securityCodeRulesBroken,
} from '@warden/contracts';
import { z } from 'zod';

/** The password rules a person sees as a checklist while typing (DESIGN §3, journey 2). */
export const PASSWORD_CHECKLIST = [
  'min_length',
  'min_letters',
  'min_digits',
  'forbidden_characters',
  'equals_email',
] as const satisfies readonly PasswordRule[];

export type ChecklistRule = (typeof PASSWORD_CHECKLIST)[number];

/** The numbers the checklist's sentences name, from the one place the API takes them too. */
export const RULE_LIMITS = {
  minLength: PASSWORD_MIN_LENGTH,
  minLetters: PASSWORD_MIN_LETTERS,
  minDigits: PASSWORD_MIN_DIGITS,
  securityCodeMinLength: SECURITY_CODE_MIN_LENGTH,
};

/**
 * Each checklist rule and whether `password` meets it. Without an e-mail
 * (the reset page does not know it), "not the e-mail" is left out.
 */
export function passwordChecklist(
  password: string,
  email?: string,
): { rule: ChecklistRule; met: boolean }[] {
  const broken = new Set<PasswordRule>(passwordRulesBroken(password, email));
  return PASSWORD_CHECKLIST.filter((rule) => rule !== 'equals_email' || email !== undefined).map(
    (rule) => ({ rule, met: !broken.has(rule) }),
  );
}

/**
 * The error rule shown under a field: the generic `min_length` says "too
 * short", the password's and the security code's say how long they must be.
 */
const fieldRule = (field: 'password' | 'securityCode', rule: string) =>
  rule === 'min_length'
    ? field === 'password'
      ? 'password_min_length'
      : 'security_code_min_length'
    : rule;

/** The broken credential rules as zod issues, named as the API names them. */
function refineCredentials(
  values: { password: string; securityCode?: string },
  ctx: z.RefinementCtx,
  email: string | undefined,
) {
  const first = passwordRulesBroken(values.password, email)[0];
  if (first !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['password'],
      params: { rule: fieldRule('password', first) },
    });
  }
  if (values.securityCode === undefined) return;
  const code = securityCodeRulesBroken(values.securityCode)[0];
  if (code !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['securityCode'],
      params: { rule: fieldRule('securityCode', code) },
    });
  }
}

/** The registration form: the API's schema plus its credential rules, checked before sending. */
export const activationSchema = (email: string) =>
  activationFormSchema.superRefine((values, ctx) => refineCredentials(values, ctx, email));

export type ActivationValues = z.input<typeof activationFormSchema>;

/** A new password typed twice, for the reset page. */
export const newPasswordSchema = z
  .object({ password: z.string(), confirmation: z.string() })
  .superRefine((values, ctx) => {
    refineCredentials(values, ctx, undefined);
    if (values.confirmation !== values.password) {
      ctx.addIssue({ code: 'custom', path: ['confirmation'], params: { rule: 'mismatch' } });
    }
  });

export type NewPasswordValues = z.input<typeof newPasswordSchema>;
