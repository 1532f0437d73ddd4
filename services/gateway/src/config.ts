import { baseEnvSchema, intFromEnv, type LogLevel, parseEnv } from '@warden/platform';
import { z } from 'zod';

const envSchema = baseEnvSchema.extend({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: intFromEnv(0, 65_535).default(8080),
  /** How long /health waits for each service before calling it down. */
  HEALTH_TIMEOUT_MS: intFromEnv(50, 30_000).default(1_000),
});

export interface GatewayConfig {
  version: string;
  host: string;
  port: number;
  natsUrl: string;
  logLevel: LogLevel;
  rpcTimeoutMs: number;
  healthTimeoutMs: number;
}

/** Reads and validates the environment once; a bad variable stops start-up naming it. */
export function loadGatewayConfig(
  env: Record<string, string | undefined> = process.env,
): GatewayConfig {
  const parsed = parseEnv('gateway', envSchema, env);
  return {
    version: parsed.WARDEN_VERSION,
    host: parsed.HOST,
    port: parsed.PORT,
    natsUrl: parsed.NATS_URL,
    logLevel: parsed.LOG_LEVEL,
    rpcTimeoutMs: parsed.RPC_TIMEOUT_MS,
    healthTimeoutMs: parsed.HEALTH_TIMEOUT_MS,
  };
}
