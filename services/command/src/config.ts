import {
  baseEnvSchema,
  mongoEnvSchema,
  parseEnv,
  redisEnvSchema,
  serviceBaseConfig,
  type ServiceBaseConfig,
} from '@warden/platform';

const envSchema = baseEnvSchema.merge(mongoEnvSchema('command')).merge(redisEnvSchema);

export interface CommandConfig extends ServiceBaseConfig {
  redisUrl: string;
}

/** Reads and validates the environment once; a bad variable stops start-up naming it. */
export function loadCommandConfig(
  env: Record<string, string | undefined> = process.env,
): CommandConfig {
  const parsed = parseEnv('command', envSchema, env);
  return {
    ...serviceBaseConfig('command', parsed),
    redisUrl: parsed.REDIS_URL,
  };
}
