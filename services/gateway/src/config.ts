import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  baseEnvSchema,
  ConfigError,
  intFromEnv,
  type LogLevel,
  parseEnv,
  redisEnvSchema,
  tokensIn,
} from '@warden/platform';
import { z } from 'zod';
import { hashOperatorToken, parseOperatorTokenHash } from './auth/operator-tokens';

const MIN_TOKEN_LENGTH = 24;

/** A PEM given in one environment line may spell its line breaks `\n`. */
const pem = (value: string): string => value.replace(/\\n/g, '\n').trim();

const commaList = (value: string): string[] =>
  value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);

const envSchema = baseEnvSchema.merge(redisEnvSchema).extend({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: intFromEnv(0, 65_535).default(8080),
  /** How long /health waits for each service before calling it down. */
  HEALTH_TIMEOUT_MS: intFromEnv(50, 30_000).default(1_000),
  /**
   * Where agents and administrators reach this gateway from outside: the
   * server written into agent bundles and the install command.
   */
  PUBLIC_URL: z
    .string()
    .url()
    .refine((url) => /^https?:\/\//.test(url), 'must be an http(s) URL')
    .transform((url) => url.replace(/\/+$/, ''))
    .default('http://127.0.0.1:8080'),
  /**
   * The compiled reference agent (tools/agent, entry cli.js) that installer
   * bundles carry; relative paths are from the working directory. Checked on
   * each download: a bundle cannot be built without it (503, logged).
   */
  AGENT_DIST_DIR: z
    .string()
    .min(1)
    .default('tools/dist/agent')
    .transform((dir) => resolve(dir)),
  /**
   * The built web console (apps/console, `npm run build:console`): its
   * index.html and assets, read once at start; relative paths are from the
   * working directory. Without a build the console's pages answer 503 saying so.
   */
  CONSOLE_DIST_DIR: z
    .string()
    .min(1)
    .default('apps/console/dist')
    .transform((dir) => resolve(dir)),
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
      return commaList(trimmed);
    }),
  /**
   * SHA-256 (hex) of each operator token, comma-separated: the way to
   * configure tokens without the tokens themselves being in any environment.
   */
  OPS_API_TOKEN_HASHES: z
    .string()
    .default('')
    .transform(commaList)
    .refine((hashes) => hashes.every((hash) => parseOperatorTokenHash(hash) !== null), {
      message: 'every entry must be a SHA-256 in hex (64 characters 0-9a-f)',
    }),
  /**
   * A file of operator tokens, one per line or comma-separated (`#` starts a
   * comment line), e.g. a mounted secret.
   */
  OPS_API_TOKENS_FILE: z.string().min(1).optional(),
  /**
   * Operator tokens in plain text, comma-separated. Tests and one-off runs only:
   * a process's environment stays readable in /proc/<pid>/environ for as long
   * as it runs, whatever the process does with it.
   */
  OPS_API_TOKENS: z
    .string()
    .default('')
    .transform(tokensIn)
    .refine((tokens) => tokens.every((t) => t.length >= MIN_TOKEN_LENGTH), {
      message: `every token must have at least ${MIN_TOKEN_LENGTH} characters`,
    }),
  /** Prefix of the gateway's keys in Redis (rate-limit counters), shared by all its copies. */
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'must be 1-64 letters, digits or : _ . -')
    .default('warden:gateway:'),
  /** Length of a rate-limit window. */
  RATE_LIMIT_WINDOW_MS: intFromEnv(1_000, 3_600_000).default(60_000),
  /** Requests per window for each operator token on the ops API. */
  RATE_LIMIT_OPS: intFromEnv(1, 10_000_000).default(1_200),
  /** Requests per window from each client IP on routes that need no authentication. */
  RATE_LIMIT_PUBLIC: intFromEnv(1, 10_000_000).default(600),
  /** Failed authentications per window from each client IP; beyond, that IP gets 429. */
  RATE_LIMIT_AUTH_FAILURES: intFromEnv(1, 10_000_000).default(20),
  /**
   * Requests per window from each client IP to the routes of signing in,
   * activation and password recovery: stricter than RATE_LIMIT_PUBLIC, as
   * each of them checks a secret someone may be guessing.
   */
  RATE_LIMIT_SIGN_IN: intFromEnv(1, 10_000_000).default(30),
  /**
   * The agent API (/agent/v1, ADR 0011). Requests in flight on this gateway
   * copy beyond which an agent request gets 503 with a jittered Retry-After.
   */
  AGENT_MAX_IN_FLIGHT: intFromEnv(1, 1_000_000).default(2_000),
  /** Enrolments in flight beyond which another gets 503: each one writes to three services. */
  AGENT_ENROL_MAX_IN_FLIGHT: intFromEnv(1, 1_000_000).default(256),
  /** Per device: requests it may make at once (the token bucket's size). */
  AGENT_DEVICE_BURST: intFromEnv(1, 1_000_000).default(10),
  /** Per device: the bucket refills at this many requests a minute; beyond, 429. */
  AGENT_DEVICE_PER_MINUTE: intFromEnv(1, 10_000_000).default(6),
  /** Per client address: devices not in memory it may make this copy look up a minute; beyond, 429. */
  AGENT_LOOKUPS_PER_IP_PER_MINUTE: intFromEnv(1, 10_000_000).default(600),
  /**
   * How long a device's credentials stay cached without an event saying they
   * changed: the bound on staleness should an event be lost while connected
   * (a reconnect clears the cache). A miss costs one request to inventory.
   */
  AGENT_DEVICE_CACHE_TTL_MS: intFromEnv(1_000, 86_400_000).default(3_600_000),
  /** Devices whose credentials a gateway copy keeps in memory (least recently loaded leave first). */
  AGENT_DEVICE_CACHE_SIZE: intFromEnv(100, 10_000_000).default(200_000),
  /** How often the last-seen times of check-ins are written, in one message for all devices. */
  AGENT_LAST_SEEN_FLUSH_MS: intFromEnv(50, 60_000).default(1_000),
  /**
   * The public key console access tokens are verified with: an EC P-256 key,
   * SPKI PEM (the half of identity's ACCESS_TOKEN_SIGNING_KEY). In one line,
   * its line breaks may be written `\n`.
   */
  ACCESS_TOKEN_VERIFY_KEY: z
    .string({ required_error: 'required (an EC P-256 public key, SPKI PEM)' })
    .transform(pem)
    .transform((value, context): KeyObject => {
      const key = ecP256PublicKey(value);
      if (key) return key;
      context.addIssue({ code: 'custom', message: 'must be an EC P-256 public key in PEM (SPKI)' });
      return z.NEVER;
    }),
});

function ecP256PublicKey(text: string): KeyObject | undefined {
  // Only a public key: createPublicKey would also derive one from a private key.
  if (!/^-----BEGIN PUBLIC KEY-----\r?\n/.test(text)) return undefined;
  try {
    const key = createPublicKey({ key: text, format: 'pem' });
    const curve = key.asymmetricKeyDetails?.namedCurve;
    return key.asymmetricKeyType === 'ec' && curve === 'prime256v1' ? key : undefined;
  } catch {
    return undefined;
  }
}

export interface RateLimits {
  windowMs: number;
  opsPerToken: number;
  publicPerIp: number;
  authFailuresPerIp: number;
  signInPerIp: number;
}

/** The agent API's limits and caches (ADR 0011). */
export interface AgentLimits {
  maxInFlight: number;
  enrolMaxInFlight: number;
  deviceBurst: number;
  devicePerMinute: number;
  lookupsPerIpPerMinute: number;
  deviceCacheTtlMs: number;
  deviceCacheSize: number;
  lastSeenFlushMs: number;
}

export interface GatewayConfig {
  version: string;
  host: string;
  port: number;
  natsUrl: string;
  redisUrl: string;
  redisKeyPrefix: string;
  logLevel: LogLevel;
  rpcTimeoutMs: number;
  healthTimeoutMs: number;
  /** No trailing slash. */
  publicUrl: string;
  /** Absolute. */
  agentDistDir: string;
  /** Absolute: the built web console. */
  consoleDistDir: string;
  trustProxy: boolean | string[];
  /** SHA-256 of each operator token; the tokens themselves are not kept. */
  opsTokenHashes: Buffer[];
  /** The public key of console access tokens (ES256). */
  accessTokenVerifyKey: KeyObject;
  rateLimits: RateLimits;
  agent: AgentLimits;
}

/** Reads and validates the environment once; a bad variable stops start-up naming it. */
export function loadGatewayConfig(
  env: Record<string, string | undefined> = process.env,
): GatewayConfig {
  const parsed = parseEnv('gateway', envSchema, env);
  // Keeps the plain tokens out of anything this process spawns. It does not
  // hide them from /proc/<pid>/environ: prefer the hashes or the file.
  delete env['OPS_API_TOKENS'];
  const fromFile =
    parsed.OPS_API_TOKENS_FILE === undefined ? [] : readTokenFile(parsed.OPS_API_TOKENS_FILE);
  const hashes = [
    ...parsed.OPS_API_TOKEN_HASHES.map((hex) => parseOperatorTokenHash(hex)!),
    ...[...parsed.OPS_API_TOKENS, ...fromFile].map(hashOperatorToken),
  ];
  return {
    version: parsed.WARDEN_VERSION,
    host: parsed.HOST,
    port: parsed.PORT,
    natsUrl: parsed.NATS_URL,
    redisUrl: parsed.REDIS_URL,
    redisKeyPrefix: parsed.REDIS_KEY_PREFIX,
    logLevel: parsed.LOG_LEVEL,
    rpcTimeoutMs: parsed.RPC_TIMEOUT_MS,
    healthTimeoutMs: parsed.HEALTH_TIMEOUT_MS,
    publicUrl: parsed.PUBLIC_URL,
    agentDistDir: parsed.AGENT_DIST_DIR,
    consoleDistDir: parsed.CONSOLE_DIST_DIR,
    trustProxy: parsed.TRUST_PROXY,
    opsTokenHashes: dedupe(hashes),
    accessTokenVerifyKey: parsed.ACCESS_TOKEN_VERIFY_KEY,
    rateLimits: {
      windowMs: parsed.RATE_LIMIT_WINDOW_MS,
      opsPerToken: parsed.RATE_LIMIT_OPS,
      publicPerIp: parsed.RATE_LIMIT_PUBLIC,
      authFailuresPerIp: parsed.RATE_LIMIT_AUTH_FAILURES,
      signInPerIp: parsed.RATE_LIMIT_SIGN_IN,
    },
    agent: {
      maxInFlight: parsed.AGENT_MAX_IN_FLIGHT,
      enrolMaxInFlight: parsed.AGENT_ENROL_MAX_IN_FLIGHT,
      deviceBurst: parsed.AGENT_DEVICE_BURST,
      devicePerMinute: parsed.AGENT_DEVICE_PER_MINUTE,
      lookupsPerIpPerMinute: parsed.AGENT_LOOKUPS_PER_IP_PER_MINUTE,
      deviceCacheTtlMs: parsed.AGENT_DEVICE_CACHE_TTL_MS,
      deviceCacheSize: parsed.AGENT_DEVICE_CACHE_SIZE,
      lastSeenFlushMs: parsed.AGENT_LAST_SEEN_FLUSH_MS,
    },
  };
}

function readTokenFile(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError('gateway', [`OPS_API_TOKENS_FILE: cannot read ${path} (${reason})`]);
  }
  const tokens = tokensIn(text);
  if (tokens.some((token) => token.length < MIN_TOKEN_LENGTH)) {
    throw new ConfigError('gateway', [
      `OPS_API_TOKENS_FILE: every token must have at least ${MIN_TOKEN_LENGTH} characters`,
    ]);
  }
  return tokens;
}

function dedupe(hashes: Buffer[]): Buffer[] {
  const seen = new Set<string>();
  return hashes.filter((hash) => {
    const hex = hash.toString('hex');
    if (seen.has(hex)) return false;
    seen.add(hex);
    return true;
  });
}
