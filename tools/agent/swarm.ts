import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { Agent } from './agent';
import { AgentCallError, AgentHttpClient } from './agent-http';
import { type BackoffSettings, DEFAULT_BACKOFF } from './backoff';
import { AGENT_VERSION } from './device';
import { retryWaitMs, Sleeper } from './scheduler';
import { freshState, MemoryStateStore } from './state-store';

/*
 * `swarm N`: N simulated devices in one process, for load and for the
 * end-to-end tests. Each has its own hardware key and memory state; all share
 * one keep-alive socket pool and at most `concurrency` requests in flight.
 * Each enrols (retrying what a retry can fix), checks in at once, then on the
 * server's schedule (or `intervalSeconds`) for the duration after its enrolment,
 * acting on and acknowledging the commands its check-ins bring (a deactivated
 * one stops).
 */

export interface SwarmOptions {
  server: string;
  keycode: string;
  agents: number;
  concurrency?: number;
  /** Seconds each device keeps checking in after it enrolled; 0: enrol and check in once. */
  durationSeconds?: number;
  /** Overrides the server's schedule (a load test's rate); absent: the server decides. */
  intervalSeconds?: number;
  /** Hardware keys are `<prefix>-<index>`: the same prefix again re-installs the same devices. */
  keyPrefix?: string;
  backoff?: BackoffSettings;
  /** A device still not enrolled after this long gives up (its last error counts). */
  enrollGiveUpAfterMs?: number;
  signal?: AbortSignal;
  /** Each enrolment, refusal and failed attempt, as it happens. */
  onEvent?: (event: SwarmEvent) => void;
}

export type SwarmEvent =
  | { event: 'enrolled'; index: number; deviceId: string }
  | { event: 'refused'; index: number; code: string }
  | {
      event: 'failed';
      index: number;
      operation: 'enroll' | 'checkin';
      code: string;
      status: number;
    };

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface SwarmSummary {
  agents: number;
  enrolled: number;
  /** Devices that never enrolled, by the code of their final refusal. */
  refused: Record<string, number>;
  checkins: number;
  /** Acknowledgements of commands the server answered, by whether they set the outcome. */
  acknowledgements: { recorded: number; notRecorded: number };
  /** Devices that acknowledged a `deactivate` and stopped. */
  deactivated: number;
  /** Every failed attempt (retried or not), by code (NETWORK when no reply came). */
  errors: Record<string, number>;
  enroll: LatencySummary;
  checkin: LatencySummary;
  elapsedSeconds: number;
  /** Enrolments over the time from the start to the last enrolment. */
  enrollsPerSecond: number;
  /** Check-ins over the time from the first to the last check-in. */
  checkinsPerSecond: number;
  /** Per device: its hardware key and the deviceId it got, or its final refusal. */
  devices: { hardwareKey: string; deviceId?: string; refusedWith?: string }[];
}

export async function runSwarm(options: SwarmOptions): Promise<SwarmSummary> {
  const concurrency = Math.max(1, options.concurrency ?? 50);
  // Every simulated device's sleeps listen to the one stop signal.
  if (options.signal) setMaxListeners(options.agents + 10, options.signal);
  const http = new AgentHttpClient(options.server, { maxSockets: concurrency });
  const slots = new Semaphore(concurrency);
  const prefix = options.keyPrefix ?? `swarm-${randomBytes(6).toString('hex')}`;
  const started = Date.now();
  const durationMs = (options.durationSeconds ?? 0) * 1_000;
  let lastEnrolledAt = started;
  let firstCheckinAt: number | undefined;
  let lastCheckinAt = started;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const giveUpAfterMs = options.enrollGiveUpAfterMs ?? 120_000;
  const latencies = { enroll: [] as number[], checkin: [] as number[] };
  const errors: Record<string, number> = {};
  const devices: SwarmSummary['devices'] = [];
  let checkins = 0;
  let deactivated = 0;
  const acknowledgements = { recorded: 0, notRecorded: 0 };

  /** One request in a free slot, timed, failures counted. */
  const call = async <T>(
    index: number,
    operation: 'enroll' | 'checkin',
    request: () => Promise<T>,
  ): Promise<T> => {
    const release = await slots.acquire();
    const begun = performance.now();
    try {
      const result = await request();
      latencies[operation].push(performance.now() - begun);
      return result;
    } catch (error) {
      if (error instanceof AgentCallError) {
        errors[error.code] = (errors[error.code] ?? 0) + 1;
        options.onEvent?.({
          event: 'failed',
          index,
          operation,
          code: error.code,
          status: error.status,
        });
      }
      throw error;
    } finally {
      release();
    }
  };

  const simulate = async (index: number): Promise<void> => {
    const store = new MemoryStateStore(freshState(`${prefix}-${index}`));
    const device: SwarmSummary['devices'][number] = { hardwareKey: store.state.hardwareKey };
    devices[index] = device;
    const agent = new Agent(http, store, undefined, undefined, {
      retry: { signal: options.signal, backoff },
      onAcknowledged: (_command, reply) => {
        if (reply.recorded) acknowledgements.recorded += 1;
        else acknowledgements.notRecorded += 1;
      },
    });
    const sleeper = new Sleeper(options.signal);
    const enrollStarted = Date.now();
    for (let failures = 0; !options.signal?.aborted; failures += 1) {
      try {
        const reply = await call(index, 'enroll', () =>
          agent.enroll({
            keycode: options.keycode,
            hostname: `swarm-${index}`,
            os: { family: 'linux', version: `swarm ${AGENT_VERSION}` },
          }),
        );
        device.deviceId = reply.deviceId;
        lastEnrolledAt = Date.now();
        options.onEvent?.({ event: 'enrolled', index, deviceId: reply.deviceId });
        break;
      } catch (error) {
        if (!(error instanceof AgentCallError)) throw error;
        const wait = retryWaitMs(error, failures, backoff);
        if (!error.retryable || Date.now() + wait - enrollStarted > giveUpAfterMs) {
          device.refusedWith = error.code;
          options.onEvent?.({ event: 'refused', index, code: error.code });
          return;
        }
        await sleeper.sleep(wait);
      }
    }
    const endsAt = Date.now() + durationMs;
    let failures = 0;
    let first = true;
    while (!options.signal?.aborted && (first || Date.now() < endsAt)) {
      let wait: number;
      try {
        const result = await call(index, 'checkin', () => agent.checkin());
        checkins += 1;
        lastCheckinAt = Date.now();
        firstCheckinAt ??= lastCheckinAt;
        failures = 0;
        first = false;
        if (result.deactivated) {
          deactivated += 1;
          return;
        }
        wait = (options.intervalSeconds ?? result.reply.nextCheckinSeconds) * 1_000;
      } catch (error) {
        if (!(error instanceof AgentCallError)) throw error;
        if (error.code === 'DEVICE_TOKEN_INVALID') return;
        wait = retryWaitMs(error, failures, backoff);
        failures += 1;
      }
      if (Date.now() + wait >= endsAt) return;
      await sleeper.sleep(wait);
    }
  };

  try {
    await Promise.all(Array.from({ length: options.agents }, (_, index) => simulate(index)));
  } finally {
    http.close();
  }
  const elapsedSeconds = (Date.now() - started) / 1_000;
  const enrolled = devices.filter((d) => d.deviceId !== undefined).length;
  const perSecond = (count: number, from: number, to: number) =>
    to > from ? Math.round((count / ((to - from) / 1_000)) * 10) / 10 : 0;
  const refused: Record<string, number> = {};
  for (const device of devices) {
    if (device.refusedWith) refused[device.refusedWith] = (refused[device.refusedWith] ?? 0) + 1;
  }
  return {
    agents: options.agents,
    enrolled,
    refused,
    checkins,
    acknowledgements,
    deactivated,
    errors,
    enroll: latencySummary(latencies.enroll),
    checkin: latencySummary(latencies.checkin),
    elapsedSeconds,
    enrollsPerSecond: perSecond(enrolled, started, lastEnrolledAt),
    checkinsPerSecond: perSecond(checkins, firstCheckinAt ?? started, lastCheckinAt),
    devices,
  };
}

/** Nearest-rank percentiles, in milliseconds with 0.1 ms precision. */
export function latencySummary(samples: readonly number[]): LatencySummary {
  if (samples.length === 0) return { count: 0, p50Ms: 0, p99Ms: 0, maxMs: 0 };
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    count: sorted.length,
    p50Ms: round(rank(0.5)),
    p99Ms: round(rank(0.99)),
    maxMs: round(sorted[sorted.length - 1]!),
  };
}

/** At most `size` holders at once; the rest wait in arrival order. */
class Semaphore {
  private readonly waiting: (() => void)[] = [];
  private held = 0;

  constructor(private readonly size: number) {}

  async acquire(): Promise<() => void> {
    if (this.held >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.held += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.held -= 1;
    };
  }
}
