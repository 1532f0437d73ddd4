/**
 * The rules a new password and a personal security code must meet (DESIGN §3,
 * journey 2). One place, so the API, the identity service and the web console
 * name the same broken rule for the same input. Each broken rule is reported
 * by name, so a form can show it next to its field.
 */
export const PASSWORD_MIN_LENGTH = 9;
export const PASSWORD_MIN_LETTERS = 6;
export const PASSWORD_MIN_DIGITS = 3;
export const PASSWORD_MAX_LENGTH = 128;
export const SECURITY_CODE_MIN_LENGTH = 6;
export const SECURITY_CODE_MAX_LENGTH = 64;

export type PasswordRule =
  | 'min_length'
  | 'max_length'
  | 'min_letters'
  | 'min_digits'
  | 'forbidden_characters'
  | 'equals_email';
export type SecurityCodeRule = 'min_length' | 'max_length' | 'forbidden_characters';

const LETTER = /\p{L}/gu;
const DIGIT = /[0-9]/g;
// `<` and `>` (DESIGN), and control characters: they have no place in a secret someone types.
const FORBIDDEN = /[<>\p{Cc}]/u;

/** Every rule `password` breaks, in a stable order; empty when it is acceptable. */
export function passwordRulesBroken(password: string, email?: string): PasswordRule[] {
  const broken: PasswordRule[] = [];
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) broken.push('min_length');
  if (length > PASSWORD_MAX_LENGTH) broken.push('max_length');
  if ((password.match(LETTER)?.length ?? 0) < PASSWORD_MIN_LETTERS) broken.push('min_letters');
  if ((password.match(DIGIT)?.length ?? 0) < PASSWORD_MIN_DIGITS) broken.push('min_digits');
  if (FORBIDDEN.test(password)) broken.push('forbidden_characters');
  if (email !== undefined && password.toLowerCase() === email.toLowerCase()) {
    broken.push('equals_email');
  }
  return broken;
}

/** Every rule a personal security code breaks; empty when it is acceptable. */
export function securityCodeRulesBroken(code: string): SecurityCodeRule[] {
  const broken: SecurityCodeRule[] = [];
  const length = [...code].length;
  if (length < SECURITY_CODE_MIN_LENGTH) broken.push('min_length');
  if (length > SECURITY_CODE_MAX_LENGTH) broken.push('max_length');
  if (FORBIDDEN.test(code)) broken.push('forbidden_characters');
  return broken;
}

/** What each rule says, for `issues[].message` (a form shows its own words, keyed by the rule). */
export const CREDENTIAL_RULE_MESSAGES: Record<
  PasswordRule | SecurityCodeRule | 'incorrect',
  string
> = {
  min_length: 'is too short',
  max_length: 'is too long',
  min_letters: `needs at least ${PASSWORD_MIN_LETTERS} letters`,
  min_digits: `needs at least ${PASSWORD_MIN_DIGITS} digits`,
  forbidden_characters: 'must not contain < or > or control characters',
  equals_email: 'must not be the e-mail address',
  incorrect: 'is not correct',
};
