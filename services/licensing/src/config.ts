import {
  baseEnvSchema,
  intFromEnv,
  mongoEnvSchema,
  parseEnv,
  serviceBaseConfig,
  type ServiceBaseConfig,
} from '@warden/platform';

const envSchema = baseEnvSchema.merge(mongoEnvSchema('licensing')).extend({
  /** Trial length when the provider does not give one. */
  TRIAL_DAYS_DEFAULT: intFromEnv(1, 365).default(30),
});

export interface LicensingConfig extends ServiceBaseConfig {
  trialDaysDefault: number;
}

/** Reads and validates the environment once; a bad variable stops start-up naming it. */
export function loadLicensingConfig(
  env: Record<string, string | undefined> = process.env,
): LicensingConfig {
  const parsed = parseEnv('licensing', envSchema, env);
  return { ...serviceBaseConfig('licensing', parsed), trialDaysDefault: parsed.TRIAL_DAYS_DEFAULT };
}
