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
  /**
   * How long a site's seats and slot range must have stayed as they are
   * before the reconciliation may lower its slot range (SiteHousekeeping).
   */
  SLOT_RANGE_SETTLE_SECONDS: intFromEnv(0, 86_400).default(300),
});

export interface LicensingConfig extends ServiceBaseConfig {
  trialDaysDefault: number;
  slotRangeSettleMs: number;
}

/** Reads and validates the environment once; a bad variable stops start-up naming it. */
export function loadLicensingConfig(
  env: Record<string, string | undefined> = process.env,
): LicensingConfig {
  const parsed = parseEnv('licensing', envSchema, env);
  return {
    ...serviceBaseConfig('licensing', parsed),
    trialDaysDefault: parsed.TRIAL_DAYS_DEFAULT,
    slotRangeSettleMs: parsed.SLOT_RANGE_SETTLE_SECONDS * 1000,
  };
}
