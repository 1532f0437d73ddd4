import { authenticator } from 'otplib';

/**
 * RFC 6238 as every authenticator app does it: SHA-1, 6 digits, 30-second
 * steps, and one step either side for clocks that drift. `match` returns the
 * time step a code belongs to, so that each step is accepted once.
 */
const totp = authenticator.clone({ step: 30, window: 1, digits: 6 });
const STEP_MS = 30_000;

export const TOTP_ISSUER = 'Warden';

export function newTotpSecret(): string {
  return totp.generateSecret(20); // 160 bits, as RFC 4226 recommends
}

export function otpauthUri(account: string, secret: string): string {
  return totp.keyuri(account, TOTP_ISSUER, secret);
}

/** The time step of `code` if it is valid now (±1 step), else null. */
export function matchTotp(code: string, secret: string, now = Date.now()): number | null {
  const delta = totp.clone({ epoch: now }).checkDelta(code, secret);
  return delta === null ? null : Math.floor(now / STEP_MS) + delta;
}
