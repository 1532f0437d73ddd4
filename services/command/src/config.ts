import {
  baseEnvSchema,
  DEFAULT_MAIL_QUEUE_PREFIX,
  mongoEnvSchema,
  parseEnv,
  redisEnvSchema,
  serviceBaseConfig,
  type ServiceBaseConfig,
  urlWith,
} from '@warden/platform';
import { isAbsolute } from 'node:path';
import addressparser from 'nodemailer/lib/addressparser';
import { z } from 'zod';

/** An empty variable (`SMTP_URL=` in a compose file) counts as unset. */
const unsetIfEmpty = (value: unknown): unknown => (value === '' ? undefined : value);

const mailEnvSchema = z.object({
  /** Deliver by SMTP: `smtp://host:25` (STARTTLS when offered) or `smtps://user:pass@host:465`. */
  SMTP_URL: z.preprocess(unsetIfEmpty, urlWith('smtp:', 'smtps:').optional()),
  /** Or write each mail as a `.eml` file into this folder (local development). */
  MAIL_SPOOL_DIR: z.preprocess(
    unsetIfEmpty,
    z.string().refine(isAbsolute, 'must be an absolute path').optional(),
  ),
  MAIL_FROM: z
    .string()
    .refine(
      (value) =>
        addressparser(value, { flatten: true }).filter((a) => a.address.includes('@')).length === 1,
      'must be one address, e.g. Warden <no-reply@example.com>',
    )
    .default('Warden <no-reply@warden.invalid>'),
  /** BullMQ key prefix of the mail queue; producers must use the same. */
  MAIL_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -')
    .default(DEFAULT_MAIL_QUEUE_PREFIX),
});

const envSchema = baseEnvSchema
  .merge(mongoEnvSchema('command'))
  .merge(redisEnvSchema)
  .merge(mailEnvSchema)
  .superRefine((env, context) => {
    const smtp = env.SMTP_URL !== undefined;
    const spool = env.MAIL_SPOOL_DIR !== undefined;
    if (smtp === spool) {
      context.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['SMTP_URL'],
        message: smtp
          ? 'set only one of SMTP_URL and MAIL_SPOOL_DIR, not both'
          : 'set SMTP_URL (send mail by SMTP) or MAIL_SPOOL_DIR (write it as .eml files)',
      });
    }
  });

/** Where mail goes: an SMTP server, or `.eml` files in a folder. */
export type MailTransportConfig = { kind: 'smtp'; url: string } | { kind: 'spool'; dir: string };

export interface MailConfig {
  transport: MailTransportConfig;
  from: string;
  queuePrefix: string;
}

export interface CommandConfig extends ServiceBaseConfig {
  redisUrl: string;
  mail: MailConfig;
}

/** Reads and validates the environment once; a bad variable stops start-up naming it. */
export function loadCommandConfig(
  env: Record<string, string | undefined> = process.env,
): CommandConfig {
  const parsed = parseEnv('command', envSchema, env);
  return {
    ...serviceBaseConfig('command', parsed),
    redisUrl: parsed.REDIS_URL,
    mail: {
      transport: mailTransport(parsed.SMTP_URL, parsed.MAIL_SPOOL_DIR),
      from: parsed.MAIL_FROM,
      queuePrefix: parsed.MAIL_QUEUE_PREFIX,
    },
  };
}

function mailTransport(smtpUrl?: string, spoolDir?: string): MailTransportConfig {
  if (smtpUrl !== undefined) return { kind: 'smtp', url: smtpUrl };
  if (spoolDir !== undefined) return { kind: 'spool', dir: spoolDir };
  throw new Error('unreachable: the schema requires SMTP_URL or MAIL_SPOOL_DIR');
}
