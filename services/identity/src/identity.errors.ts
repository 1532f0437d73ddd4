import { DomainError } from '@warden/platform';

/** Any failed sign-in step: one code, one message, whatever was wrong (DESIGN §7b). */
export function loginFailed(): DomainError {
  return new DomainError('LOGIN_FAILED', 'the sign-in details are not correct');
}

export function accountLocked(lockedUntil: Date, now = new Date()): DomainError {
  const retryAfterSeconds = Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000));
  return new DomainError(
    'ACCOUNT_LOCKED',
    'this account is locked after too many failed attempts; try again later',
    { lockedUntil: lockedUntil.toISOString(), retryAfterSeconds },
  );
}

export function accountDisabled(): DomainError {
  return new DomainError('ACCOUNT_DISABLED', 'this account is disabled; ask a super administrator');
}

export function administratorNotFound(administratorId: string): DomainError {
  return new DomainError('ADMINISTRATOR_NOT_FOUND', 'no such administrator in this console', {
    administratorId,
  });
}

/**
 * `ended`: the session itself is over (revoked now or before, expired), so
 * the gateway stops its access tokens too. Not set for a token that merely
 * does not match: whoever knows a session id must not be able to end it.
 */
export function sessionInvalid(ended = false): DomainError {
  return new DomainError(
    'SESSION_INVALID',
    'the session has ended; sign in again',
    ended ? { sessionEnded: true } : undefined,
  );
}

export function credentialsIncorrect(): DomainError {
  return new DomainError('CREDENTIALS_INCORRECT', 'the password or code is not correct');
}
