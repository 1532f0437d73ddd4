/**
 * What every part of `npm run bench` shares: the table's rows, how many calls
 * run at once, and small formatting helpers.
 */
import { DomainError } from '@warden/platform';

/** Calls made at once by the enrolment and command runs. */
export const ENROL_CONCURRENCY = 64;

export interface Row {
  measure: string;
  rate: number;
  unit: string;
  p50?: number;
  p99?: number;
  errors?: number;
  /** Of the hello-world rate. */
  ratio?: number;
  /** The gateway's CPU time per request. */
  cpuPerRequestUs?: number;
  note?: string;
}
export const rows: Row[] = [];

/** An HTTP refusal, by its error code. */
export class Refused extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

/** `count` calls of `call(i)`, ENROL_CONCURRENCY at once: latencies, outcomes by code, seconds. */
export async function concurrently(
  count: number,
  call: (i: number) => Promise<void>,
): Promise<{ latencies: number[]; outcomes: Record<string, number>; seconds: number }> {
  const latencies: number[] = [];
  const outcomes: Record<string, number> = {};
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: ENROL_CONCURRENCY }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        let code = 'OK';
        try {
          await call(i);
        } catch (error) {
          code =
            error instanceof DomainError || error instanceof Refused ? error.code : 'UNEXPECTED';
        }
        latencies.push(performance.now() - t0);
        outcomes[code] = (outcomes[code] ?? 0) + 1;
      }
    }),
  );
  return { latencies, outcomes, seconds: (performance.now() - started) / 1000 };
}

export const pct = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
export const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
export const ms = (n: number): string => `${n.toFixed(1)} ms`;
export const line = (text: string): void => void process.stdout.write(`${text}\n`);
