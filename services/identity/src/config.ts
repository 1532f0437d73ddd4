import {
  baseEnvSchema,
  mongoEnvSchema,
  parseEnv,
  serviceBaseConfig,
  type ServiceBaseConfig,
} from '@warden/platform';

const envSchema = baseEnvSchema.merge(mongoEnvSchema('identity'));

export type IdentityConfig = ServiceBaseConfig;

/** Reads and validates the environment once; a bad variable stops start-up naming it. */
export function loadIdentityConfig(
  env: Record<string, string | undefined> = process.env,
): IdentityConfig {
  const parsed = parseEnv('identity', envSchema, env);
  return {
    ...serviceBaseConfig('identity', parsed),
  };
}
