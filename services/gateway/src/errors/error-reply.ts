import type { ErrorBody, ErrorCode, ErrorEnvelope } from '@warden/contracts';
import { HTTP_STATUS_BY_CODE } from './http-status.table';

/** The `{ error: { code, message, details?, requestId } }` body of every error reply. */
export function errorEnvelope(body: ErrorBody, requestId: string): ErrorEnvelope {
  return { error: { ...body, requestId } };
}

/** Fixed wording for refusals of the HTTP layer itself: never an echo of the request. */
export const EDGE_ERRORS = {
  ROUTE_NOT_FOUND: 'no such route',
  METHOD_NOT_ALLOWED: 'this route does not accept that method',
  MALFORMED_REQUEST: 'the request is malformed',
  URI_TOO_LONG: 'a path parameter is too long',
  HEADERS_TOO_LARGE: 'the request headers are too large',
  PAYLOAD_TOO_LARGE: 'the request body is too large',
  UNSUPPORTED_MEDIA_TYPE: 'the request body must be application/json',
} as const satisfies Partial<Record<ErrorCode, string>>;

export type EdgeErrorCode = keyof typeof EDGE_ERRORS;

export function edgeError(code: EdgeErrorCode): { status: number; body: ErrorBody } {
  return { status: HTTP_STATUS_BY_CODE[code], body: { code, message: EDGE_ERRORS[code] } };
}

/** Codes for what Nest or Fastify raise before our code runs, by HTTP status. */
export function codeForHttpStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return 'MALFORMED_REQUEST';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'ROUTE_NOT_FOUND';
    case 405:
      return 'METHOD_NOT_ALLOWED';
    case 409:
      return 'CONFLICT';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 414:
      return 'URI_TOO_LONG';
    case 415:
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 429:
      return 'RATE_LIMITED';
    case 431:
      return 'HEADERS_TOO_LARGE';
    case 503:
      return 'SERVICE_UNAVAILABLE';
    default:
      return status >= 400 && status < 500 ? 'MALFORMED_REQUEST' : 'INTERNAL';
  }
}
