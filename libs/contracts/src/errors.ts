import { z } from 'zod';

/**
 * Stable error codes, shared by every service and the gateway. Clients match on
 * them, so never rename one; add new codes instead. The gateway's HTTP status
 * table is typed against this list, so a new code cannot ship without a status.
 */
export const ERROR_CODES = [
  // generic
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
  'INTERNAL',
  /** The request was sent but no answer came in time: it may or may not have taken effect. */
  'OUTCOME_UNKNOWN',
  /** An Idempotency-Key used again with a different request. */
  'IDEMPOTENCY_KEY_REUSED',
  // the HTTP edge: requests refused before any route runs
  'ROUTE_NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'MALFORMED_REQUEST',
  'URI_TOO_LONG',
  'HEADERS_TOO_LARGE',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  // licensing
  'CONSOLE_NOT_FOUND',
  'CONSOLE_SUSPENDED',
  'CONSOLE_TRIAL_EXPIRED',
  'CONSOLE_NOT_TRIAL',
  'SITE_NOT_FOUND',
  'KEYCODE_INVALID',
  'SEAT_LIMIT_REACHED',
  'SEAT_LEASE_NOT_FOUND',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** How an error crosses NATS and HTTP: `{ code, message, details }`. */
export const errorBodySchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  details: z.record(z.unknown()).optional(),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/**
 * The HTTP error envelope the gateway returns. `requestId` is the request's
 * id (also the `X-Request-Id` reply header), the one every log line written
 * for that request carries, so support can find them from a client's report.
 */
export interface ErrorEnvelope {
  error: ErrorBody & { requestId: string };
}
