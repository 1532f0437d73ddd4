import { type ErrorBody, type ErrorCode, errorBodySchema, isErrorCode } from '@warden/contracts';
import { ZodError } from 'zod';

/**
 * The one error type that crosses a service boundary. Services throw it for
 * every expected refusal; anything else becomes `INTERNAL` and leaks nothing.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
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
