/**
 * Exponential back-off with jitter: attempt 1 waits about `baseMs`, each
 * further attempt twice as long, never more than `maxMs`. The jitter (the
 * upper half of the interval) keeps copies that failed together from retrying
 * together.
 */
export function retryDelayMs(
  attempt: number,
  options: { baseMs: number; maxMs: number },
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** exponent);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
