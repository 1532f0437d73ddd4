import { DomainError } from '@warden/platform';

export function consoleNotFound(consoleId: string): DomainError {
  return new DomainError('CONSOLE_NOT_FOUND', 'no such console', { consoleId });
}

export function siteNotFound(siteId: string): DomainError {
  return new DomainError('SITE_NOT_FOUND', 'no such site', { siteId });
}

export function seatLimitReached(site: { _id: string; seats: number }, used: number): DomainError {
  return new DomainError('SEAT_LIMIT_REACHED', 'every seat of this site is taken', {
    siteId: site._id,
    seats: site.seats,
    used,
  });
}

export function idempotencyKeyReused(what: string): DomainError {
  return new DomainError(
    'IDEMPOTENCY_KEY_REUSED',
    `this Idempotency-Key was used before for a different ${what}; use a new key for a new request`,
  );
}
