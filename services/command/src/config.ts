import { COMMAND_EXPIRY_DAYS } from '@warden/contracts';
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
import { parseExpression } from 'cron-parser';
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

/** As BullMQ's job schedulers read it (they use the same parser). */
function isCronPattern(pattern: string): boolean {
  try {
    parseExpression(pattern, { tz: 'UTC' });
    return true;
  } catch {
    return false;
  }
}

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const jobsEnvSchema = z.object({
  /** BullMQ key prefix of the command service's own queues (deactivation, housekeeping, reports). */
  JOB_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -')
    .default('warden'),
  /** How long a device must stay silent after acknowledging `deactivate` before its seat is freed. */
  DEACTIVATION_GRACE_SECONDS: seconds(15 * 60),
  /** Undelivered this long, a command expires (DESIGN: 14 days). */
  COMMAND_EXPIRY_SECONDS: seconds(COMMAND_EXPIRY_DAYS * 24 * 60 * 60),
  /** How long a bulk's confirmation token is good for. */
  CONFIRMATION_TTL_SECONDS: seconds(15 * 60),
  /** Command expiry and stale-endpoint marking run this often. */
  HOUSEKEEPING_EVERY_SECONDS: seconds(5 * 60),
  /** Seat-lease reconciliation runs this often. */
  RECONCILE_EVERY_SECONDS: seconds(60 * 60),
  /** A lease younger than this is not reconciled (its enrolment may still be writing the endpoint). */
  RECONCILE_MIN_AGE_SECONDS: seconds(10 * 60),
  /** When report e-mails go out: a cron pattern in UTC (default every day at 08:00). */
  REPORT_CRON: z
    .string()
    .max(100)
    .refine(isCronPattern, 'must be a cron pattern, e.g. 0 8 * * * (every day at 08:00 UTC)')
    .default('0 8 * * *'),
});

const envSchema = baseEnvSchema
  .merge(mongoEnvSchema('command'))
  .merge(redisEnvSchema)
  .merge(mailEnvSchema)
  .merge(jobsEnvSchema)
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

/** The command service's BullMQ work: timings of deactivation, expiry and housekeeping. */
export interface JobsConfig {
  queuePrefix: string;
  deactivationGraceMs: number;
  commandExpiryMs: number;
  confirmationTtlMs: number;
  housekeepingEveryMs: number;
  reconcileEveryMs: number;
  reconcileMinAgeMs: number;
  reportCron: string;
}

export interface CommandConfig extends ServiceBaseConfig {
  redisUrl: string;
  mail: MailConfig;
  jobs: JobsConfig;
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
    jobs: {
      queuePrefix: parsed.JOB_QUEUE_PREFIX,
      deactivationGraceMs: parsed.DEACTIVATION_GRACE_SECONDS * 1000,
      commandExpiryMs: parsed.COMMAND_EXPIRY_SECONDS * 1000,
      confirmationTtlMs: parsed.CONFIRMATION_TTL_SECONDS * 1000,
      housekeepingEveryMs: parsed.HOUSEKEEPING_EVERY_SECONDS * 1000,
      reconcileEveryMs: parsed.RECONCILE_EVERY_SECONDS * 1000,
      reconcileMinAgeMs: parsed.RECONCILE_MIN_AGE_SECONDS * 1000,
      reportCron: parsed.REPORT_CRON,
    },
  };
}

function mailTransport(smtpUrl?: string, spoolDir?: string): MailTransportConfig {
  if (smtpUrl !== undefined) return { kind: 'smtp', url: smtpUrl };
  if (spoolDir !== undefined) return { kind: 'spool', dir: spoolDir };
  throw new Error('unreachable: the schema requires SMTP_URL or MAIL_SPOOL_DIR');
}
