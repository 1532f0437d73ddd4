import type { ServiceName } from '@warden/contracts';
import type { DevSecrets } from '@warden/testing';

/** Where the running servers are, and what the developer chose for this run. */
export interface RunSettings {
  natsUrl: string;
  mongodbUri: string;
  redisUrl: string;
  version: string;
  logLevel: string;
  gateway: {
    host: string;
    port: string;
    opsTokensFile: string;
    /** The built reference agent (tools/dist/agent) that installer bundles carry. */
    agentDistDir: string;
  };
  /**
   * The gateway as a browser or an agent reaches it: identity puts it in the
   * links it mails, the gateway in agent bundles and the install command.
   */
  publicUrl: string;
  /** Where command writes mail as .eml files, unless the developer set SMTP_URL. */
  mailSpoolDir: string;
  /** Kept in .data/secrets.json; one the developer set in the environment wins. */
  secrets: DevSecrets;
}

type Reader = ServiceName | 'all' | 'domain';

// What a Node process needs from the machine, nothing more.
const FROM_MACHINE = ['PATH', 'HOME', 'LANG', 'TZ', 'TMPDIR'] as const;
// Tuning a developer may set for one run; each goes only to whoever reads it.
/** `npm start`'s deactivation grace period (seconds), unless DEACTIVATION_GRACE_SECONDS says otherwise. */
export const DEMO_DEACTIVATION_GRACE_SECONDS = '60';

const PASS_THROUGH: Record<string, Reader> = {
  RPC_TIMEOUT_MS: 'all',
  SHUTDOWN_GRACE_MS: 'domain',
  MAX_IN_FLIGHT: 'domain',
  TRIAL_DAYS_DEFAULT: 'licensing',
  SLOT_RANGE_SETTLE_SECONDS: 'licensing',
  LOGIN_MAX_FAILURES: 'identity',
  LOGIN_LOCKOUT_SECONDS: 'identity',
  ACCESS_TOKEN_TTL_SECONDS: 'identity',
  REFRESH_TOKEN_TTL_SECONDS: 'identity',
  MAIL_FROM: 'command',
  COMMAND_EXPIRY_SECONDS: 'command',
  CONFIRMATION_TTL_SECONDS: 'command',
  HOUSEKEEPING_EVERY_SECONDS: 'command',
  RECONCILE_EVERY_SECONDS: 'command',
  RECONCILE_MIN_AGE_SECONDS: 'command',
  REPORT_CRON: 'command',
  HEALTH_TIMEOUT_MS: 'gateway',
  TRUST_PROXY: 'gateway',
  RATE_LIMIT_WINDOW_MS: 'gateway',
  RATE_LIMIT_OPS: 'gateway',
  RATE_LIMIT_PUBLIC: 'gateway',
  RATE_LIMIT_AUTH_FAILURES: 'gateway',
  RATE_LIMIT_SIGN_IN: 'gateway',
};
// Each secret goes to the one service that uses it: identity signs tokens and
// encrypts, the gateway only verifies (it gets the public key alone).
const SECRETS: Record<string, { reader: ServiceName; field: keyof DevSecrets }> = {
  ACCESS_TOKEN_SIGNING_KEY: { reader: 'identity', field: 'accessTokenSigningKey' },
  SECRETS_ENCRYPTION_KEY: { reader: 'identity', field: 'secretsEncryptionKey' },
  ACCESS_TOKEN_VERIFY_KEY: { reader: 'gateway', field: 'accessTokenVerifyKey' },
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
    env['PUBLIC_URL'] = settings.publicUrl;
    // Absolute: the gateway's default is relative to its working directory.
    env['AGENT_DIST_DIR'] = settings.gateway.agentDistDir;
  } else {
    env['MONGODB_URI'] = settings.mongodbUri;
  }
  if (service === 'identity') {
    // Redis for the mail queue it fills; command's worker sends what it holds.
    env['REDIS_URL'] = settings.redisUrl;
    env['PUBLIC_URL'] = settings.publicUrl;
  }
  if (service === 'command') {
    env['REDIS_URL'] = settings.redisUrl;
    const smtpUrl = parentEnv['SMTP_URL'];
    if (smtpUrl) env['SMTP_URL'] = smtpUrl;
    else env['MAIL_SPOOL_DIR'] = settings.mailSpoolDir;
    // A minute, not production's 15: the demo's deactivation frees its seat while you watch.
    env['DEACTIVATION_GRACE_SECONDS'] =
      parentEnv['DEACTIVATION_GRACE_SECONDS'] || DEMO_DEACTIVATION_GRACE_SECONDS;
  }
  for (const [name, { reader, field }] of Object.entries(SECRETS)) {
    if (reader === service) env[name] = parentEnv[name] || settings.secrets[field];
  }
  for (const [name, who] of Object.entries(PASS_THROUGH)) {
    const value = parentEnv[name];
    const reads = who === 'all' || who === service || (who === 'domain' && service !== 'gateway');
    if (value !== undefined && reads) env[name] = value;
  }
  return env;
}
