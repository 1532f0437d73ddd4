import {
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationShutdown,
  Optional,
} from '@nestjs/common';
import { type MailMessage, mailMessageSchema, QUEUES } from '@warden/contracts';
import { type BackoffStrategy, type JobsOptions, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { retryDelayMs } from '../events/backoff';
import type { Logger } from '../logging/logger';
import { LOGGER } from '../logging/logger.module';

/**
 * How long a mail is retried while the mail server does not take it: 25
 * attempts, the wait doubling from about 2 s up to at most 1 hour (with
 * jitter, each wait is between half and all of that). In total the last
 * attempt comes at least 7 hours after the first (about 10½ on average, at
 * most 14), so a mail-server outage of several hours loses nothing. After the
 * last attempt the job stays in the queue's failed set for 7 days, for ops to
 * look at or retry.
 */
export const MAIL_RETRY = {
  attempts: 25,
  baseMs: 2_000,
  maxDelayMs: 60 * 60 * 1000,
  keepFailedSeconds: 7 * 24 * 60 * 60,
} as const;

/** The BullMQ backoff type of mail jobs; the worker computes it with `mailBackoffStrategy`. */
export const MAIL_BACKOFF_TYPE = 'mail';

/** BullMQ's default key prefix; tests use one of their own so files do not take each other's jobs. */
export const DEFAULT_MAIL_QUEUE_PREFIX = 'bull';

/** The wait after the `attempt`-th failed attempt (1-based) of a mail job. */
export function mailRetryDelayMs(
  attempt: number,
  baseMs: number = MAIL_RETRY.baseMs,
  random: () => number = Math.random,
): number {
  return retryDelayMs(attempt, { baseMs, maxMs: Math.max(baseMs, MAIL_RETRY.maxDelayMs) }, random);
}

/**
 * For the mail worker's `settings.backoffStrategy`: BullMQ calls it with the
 * number of the attempt that just failed; the base delay is the one the
 * producer put in the job's options.
 */
export const mailBackoffStrategy: BackoffStrategy = (attemptsMade, _type, _error, job) => {
  const backoff = job?.opts.backoff;
  const baseMs = typeof backoff === 'object' ? backoff.delay : backoff;
  return mailRetryDelayMs(attemptsMade, baseMs ?? MAIL_RETRY.baseMs);
};

/** The options every mail job is added with. */
export function mailJobOptions(messageId: string, retryBaseMs: number): JobsOptions {
  return {
    // The same message enqueued twice is one job, hence one mail.
    jobId: messageId,
    attempts: MAIL_RETRY.attempts,
    backoff: { type: MAIL_BACKOFF_TYPE, delay: retryBaseMs },
    // The job holds a temporary password or a sign-in link: gone once delivered.
    removeOnComplete: true,
    removeOnFail: { age: MAIL_RETRY.keepFailedSeconds },
  };
}

export interface MailQueueOptions {
  redisUrl: string;
  /** BullMQ key prefix; the command service's worker must use the same (`MAIL_QUEUE_PREFIX`). */
  prefix?: string;
  /** First retry wait; short only in tests. */
  retryBaseMs?: number;
}

export const MAIL_QUEUE_OPTIONS = Symbol('MAIL_QUEUE_OPTIONS');

/**
 * Hands rendered e-mails to the command service, which delivers them with
 * retries (`QUEUES.mail` on Redis). `enqueue` resolves once Redis holds the
 * job; it does not wait for delivery.
 */
@Injectable()
export class MailQueue implements OnApplicationShutdown {
  private readonly connection: Redis;
  private readonly queue: Queue<MailMessage>;
  private readonly retryBaseMs: number;

  constructor(
    @Inject(MAIL_QUEUE_OPTIONS) options: MailQueueOptions,
    @Optional() @Inject(LOGGER) logger?: Logger,
  ) {
    // A producer fails fast when Redis is away (the caller answers "try again")
    // rather than waiting forever as a worker's blocking connection does.
    this.connection = new Redis(options.redisUrl, { maxRetriesPerRequest: 3 });
    this.queue = new Queue<MailMessage>(QUEUES.mail, {
      connection: this.connection,
      prefix: options.prefix ?? DEFAULT_MAIL_QUEUE_PREFIX,
    });
    // A lost connection also rejects the enqueue() that meets it; this is the
    // line for ops (and without a listener the emitter would throw).
    this.queue.on('error', (error) =>
      logger?.warn({ err: error.message }, 'mail queue: Redis error'),
    );
    this.retryBaseMs = options.retryBaseMs ?? MAIL_RETRY.baseMs;
  }

  async enqueue(message: MailMessage): Promise<void> {
    const job = mailMessageSchema.parse(message);
    await this.queue.add(job.template, job, mailJobOptions(job.messageId, this.retryBaseMs));
  }

  async close(): Promise<void> {
    await this.queue.close();
    await this.connection.quit().catch(() => this.connection.disconnect());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}

/** `MailQueue` for the whole application, closed when it shuts down. */
@Module({})
export class MailQueueModule {
  static forRoot(options: MailQueueOptions): DynamicModule {
    return {
      module: MailQueueModule,
      global: true,
      providers: [{ provide: MAIL_QUEUE_OPTIONS, useValue: options }, MailQueue],
      exports: [MailQueue],
    };
  }
}
