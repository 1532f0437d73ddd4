import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { type MailMessage, mailMessageSchema, QUEUES } from '@warden/contracts';
import { LOGGER, type Logger, mailBackoffStrategy, MAIL_RETRY } from '@warden/platform';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { MailConfig } from '../config';
import type { Delivery, MailTransport } from './mail-transport';

export const MAIL_WORKER_OPTIONS = Symbol('MAIL_WORKER_OPTIONS');
export const MAIL_TRANSPORT = Symbol('MAIL_TRANSPORT');

export interface MailWorkerOptions {
  redisUrl: string;
  mail: MailConfig;
  /** How long a shutdown waits for mails being sent before it stops anyway. */
  shutdownGraceMs: number;
}

/** Mails sent at once by one copy of the service. */
const CONCURRENCY = 4;

/** How long a delivered messageId is remembered (enqueued again within it, it is not re-sent). */
const DELIVERED_MARKER_SECONDS = 7 * 24 * 60 * 60;

/** What the job's processor returns (the job's `returnvalue`). */
export type MailJobResult = Delivery;

/**
 * Delivers the mails other services enqueue (`MailQueue`, `QUEUES.mail`):
 * one BullMQ worker per copy of the service, retrying with the backoff the
 * producer chose until the mail server takes the message. Logs which mail
 * (template, messageId, attempt), never what it says; recipients only at debug.
 */
@Injectable()
export class MailWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private connection: Redis | undefined;
  private worker: Worker<MailMessage, MailJobResult> | undefined;

  constructor(
    @Inject(MAIL_WORKER_OPTIONS) private readonly options: MailWorkerOptions,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.transport.open();
    // Workers block on Redis: BullMQ requires maxRetriesPerRequest: null.
    this.connection = new Redis(this.options.redisUrl, { maxRetriesPerRequest: null });
    this.worker = new Worker<MailMessage, MailJobResult>(QUEUES.mail, (job) => this.process(job), {
      connection: this.connection,
      prefix: this.options.mail.queuePrefix,
      concurrency: CONCURRENCY,
      settings: { backoffStrategy: mailBackoffStrategy },
    });
    this.worker.on('error', (error) =>
      this.logger.warn({ err: error.message }, 'mail worker: Redis error'),
    );
    this.worker.on('failed', (job, error) => {
      if (!job) return;
      const final = error instanceof UnrecoverableError || job.attemptsMade >= MAIL_RETRY.attempts;
      if (final) {
        this.logger.error(
          { template: job.name, messageId: job.id, attempts: job.attemptsMade },
          'mail not delivered: given up (the job stays in the failed set)',
        );
      }
    });
    await this.worker.waitUntilReady();
    this.logger.info({ transport: this.transport.description }, 'mail worker started');
  }

  async onApplicationShutdown(): Promise<void> {
    const worker = this.worker;
    if (worker) {
      // Let mails being sent finish, up to the grace period. A job cut off
      // then is not lost: BullMQ's stalled-job check hands it to a worker again.
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((done) => {
        timer = setTimeout(() => done('late'), this.options.shutdownGraceMs);
      });
      const outcome = await Promise.race([worker.close(), late]);
      clearTimeout(timer);
      if (outcome === 'late') {
        this.logger.warn('mail worker: mails still being sent at shutdown; they will be retried');
        this.connection?.disconnect();
      }
    }
    this.transport.close();
    if (this.connection?.status === 'ready') await this.connection.quit().catch(() => undefined);
    this.connection?.disconnect();
  }

  private async process(job: Job<MailMessage, MailJobResult>): Promise<MailJobResult> {
    const parsed = mailMessageSchema.safeParse(job.data);
    if (!parsed.success) {
      // Which fields, never their values.
      const fields = parsed.error.issues.map((issue) => issue.path.join('.'));
      this.logger.error({ jobId: job.id, fields }, 'mail job is not a valid MailMessage');
      throw new UnrecoverableError(`not a valid MailMessage (fields: ${fields.join(', ')})`);
    }
    const message = parsed.data;
    const facts = {
      template: message.template,
      messageId: message.messageId,
      attempt: job.attemptsMade + 1,
    };
    const deliveredKey = `${this.options.mail.queuePrefix}:mail-delivered:${message.messageId}`;

    // The job is removed once delivered, so the same messageId enqueued again
    // later is a new job: this marker keeps it from being sent twice.
    if ((await this.redis().exists(deliveredKey)) === 1) {
      this.logger.info(facts, 'mail already delivered, not sent again');
      return 'already-sent';
    }
    let delivery: Delivery;
    try {
      delivery = await this.transport.deliver(message);
    } catch (error) {
      throw this.failure(facts, error);
    }
    await this.redis().set(deliveredKey, '1', 'EX', DELIVERED_MARKER_SECONDS);
    this.logger.info({ ...facts, delivery }, 'mail delivered');
    this.logger.debug({ ...facts, to: message.to }, 'mail recipients');
    return delivery;
  }

  /** Logs a failed attempt without its text (a server's reply may quote the recipient). */
  private failure(facts: Record<string, unknown>, error: unknown): Error {
    const smtp = error as { code?: unknown; responseCode?: unknown; message?: unknown };
    const code = typeof smtp.code === 'string' ? smtp.code : undefined;
    const responseCode = typeof smtp.responseCode === 'number' ? smtp.responseCode : undefined;
    this.logger.warn({ ...facts, code, responseCode }, 'mail attempt failed');
    this.logger.debug({ ...facts, err: String(smtp.message ?? error) }, 'mail attempt failure');
    // Every recipient refused for good (5xx to RCPT TO): retrying cannot help.
    if (code === 'EENVELOPE' && responseCode !== undefined && responseCode >= 500) {
      return new UnrecoverableError(`recipients refused (${responseCode})`);
    }
    return error instanceof Error ? error : new Error(String(error));
  }

  private redis(): Redis {
    if (!this.connection) throw new Error('the mail worker is not started');
    return this.connection;
  }
}
