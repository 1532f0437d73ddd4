/**
 * When to try again (DESIGN §7: "agents back off with full jitter"). Pure
 * functions with the random source passed in, so the unit specs can pin it.
 */

export type Random = () => number;

export interface BackoffSettings {
  /** The first retry waits up to this long. */
  baseMs: number;
  /** No wait is longer, however many failures in a row. */
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffSettings = { baseMs: 1_000, capMs: 5 * 60_000 };

/**
 * Full jitter: a uniform wait in [0, min(cap, base · 2^failures)). Spreading
 * retries over the whole window is what keeps a fleet that lost the server at
 * the same moment from coming back at the same moment.
 */
export function fullJitterDelayMs(
  failuresInARow: number,
  settings: BackoffSettings = DEFAULT_BACKOFF,
  random: Random = Math.random,
): number {
  const exponent = Math.min(Math.max(failuresInARow, 0), 30);
  const window = Math.min(settings.capMs, settings.baseMs * 2 ** exponent);
  return Math.floor(random() * window);
}

/**
 * A `Retry-After` header in milliseconds: delta-seconds or an HTTP date
 * (RFC 9110 §10.2.3); undefined when absent or unreadable. The gateway
 * already jitters the value, so the agent uses it as given.
 */
export function retryAfterMs(
  header: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (header === null || header === undefined) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1_000;
  // HTTP dates end in GMT; anything else (a negative number) is not one.
  const date = / GMT$/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
