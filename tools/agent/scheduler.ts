import { type Agent, type CheckinResult, type Log } from './agent';
import { AgentCallError } from './agent-http';
import { type BackoffSettings, DEFAULT_BACKOFF, fullJitterDelayMs, type Random } from './backoff';

/**
 * When the agent talks to the server: on the schedule the server gives
 * (`nextCheckinSeconds`, already jittered), sooner when the detections file
 * changes, and after failures with full-jitter backoff or the server's
 * `Retry-After`.
 */

/** Sleeps that a stop ends at once and a detections change may cut short. */
export class Sleeper {
  private wakeUp: (() => void) | undefined;
  private woken = false;

  constructor(private readonly signal?: AbortSignal) {}

  /** Ends a wakeable sleep now, or the next one if none is under way. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Resolves after `ms`, on abort, or (when `wakeable`) on `wake()`. */
  sleep(ms: number, wakeable = false): Promise<void> {
    if (this.signal?.aborted) return Promise.resolve();
    if (wakeable && this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.signal?.removeEventListener('abort', done);
        if (wakeable) this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.signal?.addEventListener('abort', done, { once: true });
      if (wakeable) {
        this.wakeUp = () => {
          this.woken = false;
          done();
        };
      }
    });
  }
}

export interface RetryOptions {
  signal?: AbortSignal;
  backoff?: BackoffSettings;
  random?: Random;
  /** Give up (rethrow the last error) once this much time has passed. */
  giveUpAfterMs?: number;
  onRetry?: (error: AgentCallError, waitMs: number) => void;
}

/** Why a wait: the server asked for it (Retry-After) or full jitter over the failures so far. */
export function retryWaitMs(
  error: AgentCallError,
  failuresInARow: number,
  backoff: BackoffSettings = DEFAULT_BACKOFF,
  random: Random = Math.random,
): number {
  return error.retryAfterMs ?? fullJitterDelayMs(failuresInARow, backoff, random);
}

/** `attempt` until it succeeds or fails for a reason a retry cannot fix (a refusal with a code). */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const started = Date.now();
  const sleeper = new Sleeper(options.signal);
  for (let failures = 0; ; failures += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof AgentCallError) || !error.retryable) throw error;
      const wait = retryWaitMs(error, failures, options.backoff, options.random);
      const late =
        options.giveUpAfterMs !== undefined && Date.now() + wait - started > options.giveUpAfterMs;
      if (late || options.signal?.aborted) throw error;
      options.onRetry?.(error, wait);
      await sleeper.sleep(wait);
      if (options.signal?.aborted) throw error;
    }
  }
}

/** `run` ended because the server no longer knows this device's token. */
export class DeviceTokenRefused extends Error {
  constructor() {
    super(
      'the server refused this device token (DEVICE_TOKEN_INVALID): the device was enrolled again ' +
        'elsewhere with this state, or removed. Run `enroll` again to re-install it.',
    );
    this.name = 'DeviceTokenRefused';
  }
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Stop after this many successful check-ins (tests, `--once`). */
  count?: number;
  /** Overrides the server's schedule (`run --interval`: a demo, a test); absent: the server decides. */
  intervalSeconds?: number;
  backoff?: BackoffSettings;
  random?: Random;
  sleeper?: Sleeper;
  log?: Log;
  onCheckin?: (result: CheckinResult) => void;
}

/** Checks in until stopped or deactivated; resolves with how many check-ins succeeded. */
export async function runCheckins(agent: Agent, options: RunOptions = {}): Promise<number> {
  const log = options.log ?? (() => {});
  const sleeper = options.sleeper ?? new Sleeper(options.signal);
  let done = 0;
  let failures = 0;
  while (!options.signal?.aborted && (options.count === undefined || done < options.count)) {
    let waitMs: number;
    let wakeable = false;
    try {
      const result = await agent.checkin();
      done += 1;
      failures = 0;
      options.onCheckin?.(result);
      if (result.deactivated) break;
      waitMs = result.moreToSend
        ? 0
        : (options.intervalSeconds ?? result.reply.nextCheckinSeconds) * 1_000;
      wakeable = true;
    } catch (error) {
      if (!(error instanceof AgentCallError)) throw error;
      if (error.code === 'DEVICE_TOKEN_INVALID') throw new DeviceTokenRefused();
      // A refusal a retry cannot fix (a bad detection the server rejects)
      // still waits, so a broken agent does not hammer the server.
      waitMs = retryWaitMs(error, failures, options.backoff, options.random);
      failures += 1;
      log(`check-in failed (${error.message}); next try in ${(waitMs / 1_000).toFixed(1)}s`);
    }
    if (options.count !== undefined && done >= options.count) break;
    await sleeper.sleep(waitMs, wakeable);
  }
  return done;
}
