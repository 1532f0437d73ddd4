import type { ErrorCode } from '@warden/contracts';

/**
 * The one place an error code becomes an HTTP status. Typed against the full
 * code list, so a code added to libs/contracts does not compile until it has
 * a status here.
 */
export const HTTP_STATUS_BY_CODE: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL: 500,
  OUTCOME_UNKNOWN: 504,
  IDEMPOTENCY_KEY_REUSED: 422,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  MALFORMED_REQUEST: 400,
  URI_TOO_LONG: 414,
  HEADERS_TOO_LARGE: 431,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  CONSOLE_NOT_FOUND: 404,
  CONSOLE_SUSPENDED: 403,
  CONSOLE_TRIAL_EXPIRED: 403,
  CONSOLE_NOT_TRIAL: 409,
  SITE_NOT_FOUND: 404,
  KEYCODE_INVALID: 400,
  SEAT_LIMIT_REACHED: 409,
  SEAT_LEASE_NOT_FOUND: 404,
};
