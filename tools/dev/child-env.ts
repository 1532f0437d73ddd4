import type { ServiceName } from '@warden/contracts';

/** Where the running servers are, and what the developer chose for this run. */
export interface RunSettings {
  natsUrl: string;
  mongodbUri: string;
  redisUrl: string;
  version: string;
  logLevel: string;
  gateway: { host: string; port: string; opsTokensFile: string };
}

// What a Node process needs from the machine, nothing more.
const FROM_MACHINE = ['PATH', 'HOME', 'LANG', 'TZ', 'TMPDIR'] as const;
// Tuning a developer may set for one run; each goes only to whoever reads it.
const PASS_THROUGH: Record<string, 'all' | 'domain' | 'gateway' | 'licensing'> = {
  RPC_TIMEOUT_MS: 'all',
  SHUTDOWN_GRACE_MS: 'domain',
  MAX_IN_FLIGHT: 'domain',
  TRIAL_DAYS_DEFAULT: 'licensing',
  HEALTH_TIMEOUT_MS: 'gateway',
  TRUST_PROXY: 'gateway',
  RATE_LIMIT_WINDOW_MS: 'gateway',
  RATE_LIMIT_OPS: 'gateway',
  RATE_LIMIT_PUBLIC: 'gateway',
  RATE_LIMIT_AUTH_FAILURES: 'gateway',
};

/**
 * A child's environment, built from scratch: the few machine variables a
 * Node process needs plus the settings that service reads — never the
 * parent's whole environment, so a secret set for one process (an operator
 * token) is not handed to every other one, where /proc/<pid>/environ shows it.
 */
export function childEnv(
  service: ServiceName,
  settings: RunSettings,
  parentEnv: Record<string, string | undefined>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of FROM_MACHINE) {
    const value = parentEnv[name];
    if (value !== undefined) env[name] = value;
  }
  env['NATS_URL'] = settings.natsUrl;
  env['LOG_LEVEL'] = settings.logLevel;
  env['WARDEN_VERSION'] = settings.version;
  if (service === 'gateway') {
    env['HOST'] = settings.gateway.host;
    env['PORT'] = settings.gateway.port;
    env['REDIS_URL'] = settings.redisUrl;
    env['OPS_API_TOKENS_FILE'] = settings.gateway.opsTokensFile;
  } else {
    env['MONGODB_URI'] = settings.mongodbUri;
    if (service === 'command') env['REDIS_URL'] = settings.redisUrl;
  }
  for (const [name, who] of Object.entries(PASS_THROUGH)) {
    const value = parentEnv[name];
    const reads = who === 'all' || who === service || (who === 'domain' && service !== 'gateway');
    if (value !== undefined && reads) env[name] = value;
  }
  return env;
}
