import { type ErrorBody, type ErrorCode, errorBodySchema, isErrorCode } from '@warden/contracts';
import { ZodError } from 'zod';

/**
 * The one error type that crosses a service boundary. Services throw it for
 * every expected refusal; anything else becomes `INTERNAL` and leaks nothing.
 *
 * `logContext` is for the log line only (a NATS subject, a retry delay…): it
 * never reaches the wire, so nothing internal leaks to an HTTP client.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly logContext?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  toBody(): ErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/**
 * A payload that breaks its own contract on our side of the wire: a handler's
 * reply, a reply a client received, or an event we publish. That is our bug, never the caller's,
 * so it is logged with the failing paths and answered as a bare `INTERNAL`
 * (it is deliberately not a DomainError and not a ZodError, which would read
 * as VALIDATION_FAILED).
 */
export class ContractViolationError extends Error {
  readonly issues: { path: string; message: string }[];

  constructor(
    readonly subject: string,
    readonly side: 'reply sent' | 'reply received' | 'event published',
    error: ZodError,
  ) {
    super(`${side} on ${subject} breaks its contract`);
    this.name = 'ContractViolationError';
    this.issues = error.issues.map((issue) => ({
      path: issue.path.join('.'),
      message: issue.message,
    }));
  }
}

export function validationError(error: ZodError, what = 'request'): DomainError {
  return new DomainError('VALIDATION_FAILED', `${what} is invalid`, {
    issues: error.issues.map((issue) => ({
      path: issue.path.join('.'),
      message: issue.message,
    })),
  });
}

/** Maps anything thrown to the wire form. Unknown errors say nothing about themselves. */
export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof DomainError) return error.toBody();
  if (error instanceof ZodError) return validationError(error).toBody();
  return { code: 'INTERNAL', message: 'internal error' };
}

/** Rebuilds a DomainError from what came over the wire; malformed bodies become INTERNAL. */
export function fromErrorBody(body: unknown): DomainError {
  const parsed = errorBodySchema.safeParse(body);
  if (parsed.success) {
    return new DomainError(parsed.data.code, parsed.data.message, parsed.data.details);
  }
  const code = (body as { code?: unknown } | null)?.code;
  return new DomainError(isErrorCode(code) ? code : 'INTERNAL', 'internal error');
}
