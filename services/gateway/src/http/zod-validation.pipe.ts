import { type PipeTransform } from '@nestjs/common';
import { DomainError, fieldRules, validationError } from '@warden/platform';
import { z } from 'zod';

/** Validates a body, query or param against a contract schema; failures are VALIDATION_FAILED. */
export class ZodValidationPipe<S extends z.ZodTypeAny> implements PipeTransform<
  unknown,
  z.output<S>
> {
  constructor(
    private readonly schema: S,
    private readonly what = 'request',
  ) {}

  transform(value: unknown): z.output<S> {
    const result = this.schema.safeParse(value);
    if (!result.success)
      throw validationError(namingUnknownKeys(result.error, this.what), this.what);
    return result.data as z.output<S>;
  }
}

/** What an unknown name is called in an issue: a query parameter, or a property of a body. */
export function unknownNameMessage(what: string): string {
  return what === 'query' ? 'unknown query parameter' : 'unknown property';
}

/**
 * A strict schema reports unknown keys as one issue at the object; split it
 * into one issue per key whose path is the key, so the reply names each one
 * as it names any other refused field.
 */
function namingUnknownKeys(error: z.ZodError, what: string): z.ZodError {
  return new z.ZodError(
    error.issues.flatMap((issue): z.ZodIssue[] =>
      issue.code === z.ZodIssueCode.unrecognized_keys
        ? issue.keys.map((key) => ({
            ...issue,
            keys: [key],
            path: [...issue.path, key],
            message: unknownNameMessage(what),
          }))
        : [issue],
    ),
  );
}

/** VALIDATION_FAILED naming each of `names` as unknown, the way a strict schema would. */
export function unknownNamesError(names: string[], what: 'query' | 'body'): DomainError {
  const issues = names.map((name) => ({
    path: name,
    message: unknownNameMessage(what),
    rule: 'unknown',
  }));
  return new DomainError('VALIDATION_FAILED', `${what} is invalid`, {
    issues,
    fields: fieldRules(issues),
  });
}
