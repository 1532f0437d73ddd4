import {
  baseEnvSchema,
  mongoEnvSchema,
  parseEnv,
  serviceBaseConfig,
  type ServiceBaseConfig,
} from '@warden/platform';

const envSchema = baseEnvSchema.merge(mongoEnvSchema('licensing'));

export interface LicensingConfig extends ServiceBaseConfig {}

/** Reads and validates the environment once; a bad variable stops start-up naming it. */
export function loadLicensingConfig(
  env: Record<string, string | undefined> = process.env,
): LicensingConfig {
  const parsed = parseEnv('licensing', envSchema, env);
  return {
    ...serviceBaseConfig('licensing', parsed),
  };
}
