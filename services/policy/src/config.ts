import {
  baseEnvSchema,
  mongoEnvSchema,
  parseEnv,
  serviceBaseConfig,
  type ServiceBaseConfig,
} from '@warden/platform';

const envSchema = baseEnvSchema.merge(mongoEnvSchema('policy'));

export type PolicyConfig = ServiceBaseConfig;

/** Reads and validates the environment once; a bad variable stops start-up naming it. */
export function loadPolicyConfig(
  env: Record<string, string | undefined> = process.env,
): PolicyConfig {
  const parsed = parseEnv('policy', envSchema, env);
  return {
    ...serviceBaseConfig('policy', parsed),
  };
}
