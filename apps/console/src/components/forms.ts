import type { TFunction } from 'i18next';
import type {
  FieldError,
  FieldErrors,
  FieldValues,
  Path,
  Resolver,
  UseFormSetError,
} from 'react-hook-form';
import type { z } from 'zod';
import { ApiError } from '../api/errors';

/**
 * The rule an issue breaks, named as the gateway names it in
 * `details.fields` (libs/platform's `ruleOf`): a form shows the same message
 * whether the browser or the server found the problem.
 */
export function ruleOfIssue(issue: z.ZodIssue): string {
  if (issue.code === 'custom') {
    const rule = (issue.params as { rule?: unknown } | undefined)?.rule;
    return typeof rule === 'string' ? rule : 'other';
  }
  if (issue.code === 'too_small') return issue.minimum === 1 ? 'required' : 'min_length';
  if (issue.code === 'too_big') return 'max_length';
  if (issue.code === 'invalid_string') return issue.validation === 'email' ? 'email' : 'format';
  if (issue.code === 'unrecognized_keys') return 'unknown';
  return issue.code;
}

/**
 * A react-hook-form resolver for a zod schema of libs/contracts: each field's
 * error `type` is its rule, which {@link fieldErrorText} translates.
 */
export function zodRules<S extends z.ZodTypeAny>(schema: S): Resolver<z.input<S>> {
  return async (values) => {
    const result = await schema.safeParseAsync(values);
    if (result.success) return { values: result.data as z.input<S>, errors: {} };
    const errors: Record<string, FieldError> = {};
    for (const issue of result.error.issues) {
      const name = issue.path.join('.') || 'root';
      errors[name] ??= { type: ruleOfIssue(issue), message: issue.message };
    }
    return { values: {}, errors: toNested(errors) as FieldErrors<z.input<S>> };
  };
}

function toNested(flat: Record<string, FieldError>): Record<string, unknown> {
  const nested: Record<string, unknown> = {};
  for (const [path, error] of Object.entries(flat)) {
    const parts = path.split('.');
    let node = nested;
    parts.slice(0, -1).forEach((part) => {
      node = (node[part] ??= {}) as Record<string, unknown>;
    });
    node[parts[parts.length - 1]!] = error;
  }
  return nested;
}

/** The message under a field: its rule in the current language. */
export function fieldErrorText(t: TFunction, error: FieldError | undefined): string | undefined {
  if (!error) return undefined;
  const rule = typeof error.type === 'string' ? error.type : 'other';
  return t(`errors:rules.${rule}`, { defaultValue: t('errors:rules.other') });
}

/**
 * Puts a VALIDATION_FAILED's field rules under the form's fields (by the
 * API's field name, or `rename`d), and answers the error that concerns no
 * field, for the form's alert: undefined when every rule found its field.
 */
export function applyApiError<T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  fields: readonly Path<T>[],
  rename: Readonly<Record<string, Path<T>>> = {},
): unknown {
  if (!(error instanceof ApiError)) return error;
  let placed = false;
  for (const [apiField, rules] of Object.entries(error.fields)) {
    const field = rename[apiField] ?? (apiField as Path<T>);
    if (!fields.includes(field) || rules.length === 0) continue;
    setError(field, { type: rules[0], message: rules.join(', ') });
    placed = true;
  }
  return placed && error.code === 'VALIDATION_FAILED' ? undefined : error;
}
