import { createPrivateKey, type KeyObject } from 'node:crypto';
import { ACCESS_TOKEN } from '@warden/contracts';
import {
  baseEnvSchema,
  DEFAULT_MAIL_QUEUE_PREFIX,
  intFromEnv,
  mongoEnvSchema,
  parseEnv,
  redisEnvSchema,
  serviceBaseConfig,
  type ServiceBaseConfig,
} from '@warden/platform';
import { z } from 'zod';

/** A PEM given in one environment line may spell its line breaks `\n`. */
const pem = (value: string): string => value.replace(/\\n/g, '\n').trim();

const envSchema = baseEnvSchema
  .merge(mongoEnvSchema('identity'))
  .merge(redisEnvSchema)
  .extend({
    /**
     * The EC P-256 private key (PKCS#8 PEM) console access tokens are signed
     * with; the gateway holds the public half (ACCESS_TOKEN_VERIFY_KEY).
     */
    ACCESS_TOKEN_SIGNING_KEY: z
      .string({ required_error: 'required (an EC P-256 private key, PKCS#8 PEM)' })
      .transform(pem)
      .transform((value, context): KeyObject => {
        try {
          const key = createPrivateKey(value);
          if (
            key.asymmetricKeyType === 'ec' &&
            key.asymmetricKeyDetails?.namedCurve === 'prime256v1'
          ) {
            return key;
          }
        } catch {
          // reported below
        }
        context.addIssue({ code: 'custom', message: 'must be an EC P-256 private key in PEM' });
        return z.NEVER;
      }),
    /** 32 bytes in base64: the AES-256-GCM key of security codes and TOTP secrets. */
    SECRETS_ENCRYPTION_KEY: z
      .string({ required_error: 'required (32 random bytes, base64)' })
      .transform((value, context): Buffer => {
        const key = Buffer.from(value, 'base64');
        if (key.length !== 32 || key.toString('base64') !== value.trim()) {
          context.addIssue({ code: 'custom', message: 'must be exactly 32 bytes in base64' });
          return z.NEVER;
        }
        return key;
      }),
    /** Where people reach the console: the base of the links in e-mails. */
    PUBLIC_URL: z
      .string()
      .url()
      .refine((url) => /^https?:\/\//.test(url), 'must be an http(s) URL')
      .transform((url) => url.replace(/\/+$/, ''))
      .default('http://127.0.0.1:8080'),
    ACCESS_TOKEN_TTL_SECONDS: intFromEnv(30, ACCESS_TOKEN.maxLifetimeSeconds).default(
      ACCESS_TOKEN.maxLifetimeSeconds,
    ),
    /** How long a session lasts without signing in again (refresh tokens rotate within it). */
    REFRESH_TOKEN_TTL_SECONDS: intFromEnv(300, 30 * 24 * 3600).default(12 * 3600),
    /** Failed sign-in steps in a row that lock an account. */
    LOGIN_MAX_FAILURES: intFromEnv(1, 100).default(5),
    LOGIN_LOCKOUT_SECONDS: intFromEnv(1, 24 * 3600).default(15 * 60),
    ACTIVATION_TTL_HOURS: intFromEnv(1, 30 * 24).default(7 * 24),
    PASSWORD_RESET_TTL_MINUTES: intFromEnv(5, 24 * 60).default(60),
    /** BullMQ key prefix of the mail queue; the command service's worker must use the same. */
    MAIL_QUEUE_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'must be 1-64 letters, digits or : _ . -')
      .default(DEFAULT_MAIL_QUEUE_PREFIX),
  });

export interface IdentityConfig extends ServiceBaseConfig {
  redisUrl: string;
  publicUrl: string;
  accessTokenSigningKey: KeyObject;
  secretsEncryptionKey: Buffer;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  loginMaxFailures: number;
  loginLockoutSeconds: number;
  activationTtlHours: number;
  passwordResetTtlMinutes: number;
  mailQueuePrefix: string;
}

/** Reads and validates the environment once; a bad variable stops start-up naming it. */
export function loadIdentityConfig(
  env: Record<string, string | undefined> = process.env,
): IdentityConfig {
  const parsed = parseEnv('identity', envSchema, env);
  return {
    ...serviceBaseConfig('identity', parsed),
    redisUrl: parsed.REDIS_URL,
    publicUrl: parsed.PUBLIC_URL,
    accessTokenSigningKey: parsed.ACCESS_TOKEN_SIGNING_KEY,
    secretsEncryptionKey: parsed.SECRETS_ENCRYPTION_KEY,
    accessTokenTtlSeconds: parsed.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: parsed.REFRESH_TOKEN_TTL_SECONDS,
    loginMaxFailures: parsed.LOGIN_MAX_FAILURES,
    loginLockoutSeconds: parsed.LOGIN_LOCKOUT_SECONDS,
    activationTtlHours: parsed.ACTIVATION_TTL_HOURS,
    passwordResetTtlMinutes: parsed.PASSWORD_RESET_TTL_MINUTES,
    mailQueuePrefix: parsed.MAIL_QUEUE_PREFIX,
  };
}
