import type { Reply } from '../../api/client';
import type { SessionTokens } from '../../auth/session';

export type LoginChallenge = Reply<'/api/v1/auth/login', 'post'>;
export type SecurityCodeReply = Reply<'/api/v1/auth/login/{loginId}/security-code', 'post'>;

/**
 * Where the login is (DESIGN §7b): the password, then two characters of the
 * personal security code, then, with 2FA on, a code from the app; without
 * 2FA, the signed-in administrator is offered to set it up.
 */
export type LoginStep =
  | { step: 'credentials' }
  | { step: 'security_code'; loginId: string; positions: [number, number] }
  | { step: 'totp'; loginId: string }
  | { step: 'two_factor_offer' };

/** The security-code step answers either the TOTP challenge or the session itself. */
export function isTotpChallenge(
  reply: SecurityCodeReply,
): reply is Extract<SecurityCodeReply, { step: 'totp' }> {
  return 'step' in reply && reply.step === 'totp';
}

/** After the session arrives: offer 2FA when it is not set up, else go on. */
export const stepAfterSession = (tokens: SessionTokens): LoginStep | 'done' =>
  tokens.twoFactor === 'not_set_up' ? { step: 'two_factor_offer' } : 'done';

/**
 * The two characters typed into the boxes named by the positions, joined in
 * the order asked (the API wants them so). Extra characters of a paste are cut.
 */
export const securityCodeCharacters = (first: string, second: string): string =>
  [...first.trim()].slice(0, 1).join('') + [...second.trim()].slice(0, 1).join('');

/**
 * Where to go after login: the page RequireSession came from, never back to
 * a sign-in page nor to another origin.
 */
export function destinationAfterLogin(from: unknown): string {
  if (typeof from !== 'string' || !from.startsWith('/') || from.startsWith('//')) return '/';
  return /^\/(login|activation|recovery|reset-password)\b/.test(from) ? '/' : from;
}

/** The two positions of the challenge (the OpenAPI document types them as a plain array). */
export function askedPositions(positions: readonly number[]): [number, number] {
  const [first, second] = positions;
  if (first === undefined || second === undefined) {
    throw new Error('the security-code challenge names fewer than two positions');
  }
  return [first, second];
}
