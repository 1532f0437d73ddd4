import { type ErrorBody, type ErrorCode, errorBodySchema, isErrorCode } from '@warden/contracts';
import { ZodError, type ZodIssue } from 'zod';

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
  const issues = error.issues.map((issue) => ({
    path: issue.path.join('.'),
    message: issue.message,
    rule: ruleOf(issue),
  }));
  return new DomainError('VALIDATION_FAILED', `${what} is invalid`, {
    issues,
    fields: fieldRules(issues),
  });
}

/**
 * `details.fields` of VALIDATION_FAILED: each refused field with the rules it
 * broke, by name (`{ password: ['min_length', 'min_digits'] }`), so a form can
 * show each next to its field (DESIGN §7b).
 */
export function fieldRules(issues: { path: string; rule: string }[]): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const { path, rule } of issues) {
    const key = path === '' ? '_' : path;
    const rules = (fields[key] ??= []);
    if (!rules.includes(rule)) rules.push(rule);
  }
  return fields;
}

/** A stable name for what a zod issue says: the rule a custom refinement names, else zod's own code. */
function ruleOf(issue: ZodIssue): string {
  if (issue.code === 'custom' && typeof issue.params?.['rule'] === 'string') {
    return issue.params['rule'];
  }
  if (issue.code === 'too_small') return 'min_length';
  if (issue.code === 'too_big') return 'max_length';
  if (issue.code === 'invalid_string') return 'format';
  if (issue.code === 'unrecognized_keys') return 'unknown';
  return issue.code;
}

/** VALIDATION_FAILED for rules a service checks itself: field → the rules it broke. */
export function ruleViolations(
  broken: Record<string, readonly string[]>,
  messages: Readonly<Record<string, string>> = {},
): DomainError {
  const issues = Object.entries(broken).flatMap(([path, rules]) =>
    rules.map((rule) => ({ path, rule, message: messages[rule] ?? `breaks the rule ${rule}` })),
  );
  return new DomainError('VALIDATION_FAILED', 'request is invalid', {
    issues,
    fields: fieldRules(issues),
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
