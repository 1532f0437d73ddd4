import { baseEnvSchema, intFromEnv, type LogLevel, parseEnv } from '@warden/platform';
import { z } from 'zod';
import { hashOperatorToken } from './auth/operator-tokens';

const MIN_TOKEN_LENGTH = 24;

const envSchema = baseEnvSchema.extend({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: intFromEnv(0, 65_535).default(8080),
  /** How long /health waits for each service before calling it down. */
  HEALTH_TIMEOUT_MS: intFromEnv(50, 30_000).default(1_000),
  /**
   * Which proxies may set X-Forwarded-For (the client IP in audit events and
   * rate limits): `false` (default, the peer address is the client), `true`
   * (any), or a comma-separated list of addresses/CIDRs of your load balancers.
   */
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((value): boolean | string[] => {
      const trimmed = value.trim();
      if (trimmed === '' || trimmed === 'false') return false;
      if (trimmed === 'true') return true;
      return trimmed
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean);
    }),
  /** Provider operator tokens, comma-separated. None: the ops API refuses every call. */
  OPS_API_TOKENS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((token) => token.trim())
        .filter(Boolean),
    )
    .refine((tokens) => tokens.every((t) => t.length >= MIN_TOKEN_LENGTH), {
      message: `every token must have at least ${MIN_TOKEN_LENGTH} characters`,
    }),
});

export interface GatewayConfig {
  version: string;
  host: string;
  port: number;
  natsUrl: string;
  logLevel: LogLevel;
  rpcTimeoutMs: number;
  healthTimeoutMs: number;
  trustProxy: boolean | string[];
  /** SHA-256 of each operator token; the tokens themselves are not kept. */
  opsTokenHashes: Buffer[];
}

/** Reads and validates the environment once; a bad variable stops start-up naming it. */
export function loadGatewayConfig(
  env: Record<string, string | undefined> = process.env,
): GatewayConfig {
  const parsed = parseEnv('gateway', envSchema, env);
  // Only the hashes are kept: the plain tokens leave this process's environment
  // (and so the environment of anything it spawns or dumps).
  delete env['OPS_API_TOKENS'];
  return {
    version: parsed.WARDEN_VERSION,
    host: parsed.HOST,
    port: parsed.PORT,
    natsUrl: parsed.NATS_URL,
    logLevel: parsed.LOG_LEVEL,
    rpcTimeoutMs: parsed.RPC_TIMEOUT_MS,
    healthTimeoutMs: parsed.HEALTH_TIMEOUT_MS,
    trustProxy: parsed.TRUST_PROXY,
    opsTokenHashes: parsed.OPS_API_TOKENS.map(hashOperatorToken),
  };
}
