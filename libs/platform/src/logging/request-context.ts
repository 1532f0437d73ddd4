import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** What every log line written while handling one request knows about it. */
export interface RequestContext {
  requestId: string;
}

/**
 * The header that carries the request id: on HTTP (`X-Request-Id`, in and
 * out) and in NATS message headers from the gateway to every service.
 */
export const REQUEST_ID_HEADER = 'x-request-id';

// Letters, digits and a few separators: safe in a log line, a header and a
// URL, long enough to be unique (a UUID fits), short enough not to bloat logs.
const REQUEST_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$/;

const storage = new AsyncLocalStorage<RequestContext>();

export function isValidRequestId(value: unknown): value is string {
  return typeof value === 'string' && REQUEST_ID_PATTERN.test(value);
}

/** A caller's id when it is sane, else a fresh one (a client cannot inject into log lines). */
export function requestIdFrom(candidate: unknown): string {
  return isValidRequestId(candidate) ? candidate : randomUUID();
}

/** Runs `work` (and everything it awaits) as part of one request. */
export function runWithRequestContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

/** The id of the request being handled, if any. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
