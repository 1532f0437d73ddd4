import { z } from 'zod';

/** Thrown at start-up when the environment does not fit a service's schema. */
export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly problems: readonly string[],
  ) {
    super(`${service}: invalid configuration\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment once, at start-up. Reports every bad variable at once
 * (not just the first) so an operator fixes a deployment in one go.
 */
export function parseEnv<S extends z.ZodTypeAny>(
  service: string,
  schema: S,
  env: Record<string, string | undefined>,
): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data as z.output<S>;
  const problems = result.error.issues.map((issue) => {
    const variable = issue.path.join('.') || '(environment)';
    return `${variable}: ${issue.message}`;
  });
  throw new ConfigError(service, problems);
}

/** A URL whose scheme is one of `protocols`, e.g. `urlWith('nats:', 'tls:')`. */
export function urlWith(...protocols: string[]) {
  return z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );
}

/** Integer from an environment string, with bounds. */
export function intFromEnv(min: number, max: number) {
  return z.coerce
    .number({ invalid_type_error: 'must be a number' })
    .int('must be a whole number')
    .min(min)
    .max(max);
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Variables every service reads: where NATS is, and how much to log. */
export const baseEnvSchema = z.object({
  NATS_URL: urlWith('nats:', 'tls:', 'ws:', 'wss:').default('nats://127.0.0.1:4222'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /** Per-request NATS timeout for calls this service makes to others. */
  RPC_TIMEOUT_MS: intFromEnv(50, 60_000).default(5_000),
  /**
   * On SIGTERM a service first stops taking requests (other copies get them),
   * then waits until those in flight are answered, at most this long.
   */
  SHUTDOWN_GRACE_MS: intFromEnv(0, 30_000).default(10_000),
  /**
   * Requests one copy of a service works on at once. Past it, a request is
   * refused at once (SERVICE_UNAVAILABLE, nothing done, retry later) rather
   * than queued until its caller has given up.
   */
  MAX_IN_FLIGHT: intFromEnv(1, 100_000).default(256),
  /** Reported by health checks; set by the image build. */
  WARDEN_VERSION: z.string().min(1).default('dev'),
});

/** Variables of a service that owns a MongoDB database. */
export function mongoEnvSchema(service: string) {
  return z.object({
    MONGODB_URI: urlWith('mongodb:', 'mongodb+srv:').default('mongodb://127.0.0.1:27017'),
    MONGODB_DB: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,63}$/, 'must be 1-63 letters, digits, _ or -')
      .default(`warden_${service}`),
  });
}

export const redisEnvSchema = z.object({
  REDIS_URL: urlWith('redis:', 'rediss:').default('redis://127.0.0.1:6379'),
});
