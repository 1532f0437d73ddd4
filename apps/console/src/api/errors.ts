import type { ErrorCode } from '@warden/contracts';

/** The gateway's error envelope: `{ error: { code, message, details, requestId } }`. */
interface ErrorEnvelope {
  error?: {
    code?: string;
    message?: string;
    details?: Record<string, unknown>;
    requestId?: string;
  };
}

/**
 * An API call that did not succeed: its stable code (what the console shows,
 * translated, next to the field or action it concerns), the field rules of a
 * VALIDATION_FAILED, and the request id support can find in the logs.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode | 'NETWORK';
  readonly details: Record<string, unknown>;
  readonly requestId: string | undefined;
  /** `details.fields`: each field named by a rule it breaks (`password: ['min_digits']`). */
  readonly fields: Record<string, string[]>;
  /** Seconds, from `Retry-After` (429, 503). */
  readonly retryAfter: number | undefined;

  constructor(status: number, body: unknown, retryAfter?: number) {
    const error = (body as ErrorEnvelope | undefined)?.error;
    super(error?.message ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = (error?.code as ErrorCode | undefined) ?? (status === 0 ? 'NETWORK' : 'INTERNAL');
    this.details = error?.details ?? {};
    this.requestId = error?.requestId;
    this.fields = fieldsOf(this.details);
    this.retryAfter = retryAfter;
  }
}

function fieldsOf(details: Record<string, unknown>): Record<string, string[]> {
  const fields = details['fields'];
  if (typeof fields !== 'object' || fields === null) return {};
  const out: Record<string, string[]> = {};
  for (const [name, rules] of Object.entries(fields)) {
    if (Array.isArray(rules)) out[name] = rules.map(String);
  }
  return out;
}

export const isApiError = (error: unknown): error is ApiError => error instanceof ApiError;
