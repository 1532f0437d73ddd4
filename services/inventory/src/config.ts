import {
  baseEnvSchema,
  mongoEnvSchema,
  parseEnv,
  serviceBaseConfig,
  type ServiceBaseConfig,
} from '@warden/platform';

const envSchema = baseEnvSchema.merge(mongoEnvSchema('inventory'));

export type InventoryConfig = ServiceBaseConfig;

/** Reads and validates the environment once; a bad variable stops start-up naming it. */
export function loadInventoryConfig(
  env: Record<string, string | undefined> = process.env,
): InventoryConfig {
  const parsed = parseEnv('inventory', envSchema, env);
  return {
    ...serviceBaseConfig('inventory', parsed),
  };
}
