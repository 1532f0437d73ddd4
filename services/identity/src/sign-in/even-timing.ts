import { randomInt } from 'node:crypto';

/**
 * Failed sign-in steps answer no sooner than this after they began, plus a
 * little jitter. Without it the time tells what the reply does not: a known
 * account's failure is recorded (a write and an audit event, about 10 ms
 * here) where an unknown one's is not. Measured on 2 cores: a failure takes
 * 20–40 ms before it is evened out, so the floor hides the difference with
 * room to spare under load.
 */
export const FAILURE_FLOOR_MS = 100;
const JITTER_MS = 10;

/** Waits until `FAILURE_FLOOR_MS` (± jitter) after `startedAt` (a `performance.now()`). */
export async function evenOutFailure(startedAt: number): Promise<void> {
  const due = startedAt + FAILURE_FLOOR_MS + randomInt(0, JITTER_MS + 1);
  const wait = due - performance.now();
  if (wait > 0) await new Promise((done) => setTimeout(done, wait));
}

/**
 * Runs a sign-in step; if it fails with `failure` (LOGIN_FAILED and the like),
 * the failure is answered only once the floor is reached.
 */
export async function withEvenFailures<T>(
  step: () => Promise<T>,
  isEvenedFailure: (error: unknown) => boolean,
): Promise<T> {
  const startedAt = performance.now();
  try {
    return await step();
  } catch (error) {
    if (isEvenedFailure(error)) await evenOutFailure(startedAt);
    throw error;
  }
}
