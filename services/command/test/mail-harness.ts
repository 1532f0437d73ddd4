import type { INestMicroservice } from '@nestjs/common';
import { type MailMessage, QUEUES } from '@warden/contracts';
import { MailQueue } from '@warden/platform';
import { testServers, uniqueDbName } from '@warden/testing';
import { QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { watch } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { createCommandApp } from '../src/app';
import { loadCommandConfig } from '../src/config';

/** Only for a failure report: tests wait for events, never for this. */
const GIVE_UP_MS = 15_000;

/**
 * A command service (its mail worker) and a producer on a queue prefix of
 * their own, so no other test file's worker takes these jobs.
 */
export async function startMailPipeline(env: Record<string, string>): Promise<{
  app: INestMicroservice;
  queue: MailQueue;
  jobs: JobEvents;
  stop(): Promise<void>;
}> {
  const servers = testServers();
  const prefix = uniqueDbName('mail');
  const app = await createCommandApp(
    loadCommandConfig({
      NATS_URL: servers.natsUrl,
      MONGODB_URI: servers.mongodbUri,
      MONGODB_DB: uniqueDbName('command'),
      REDIS_URL: servers.redisUrl,
      LOG_LEVEL: 'warn',
      MAIL_QUEUE_PREFIX: prefix,
      ...env,
    }),
  );
  await app.listen();
  const jobs = await JobEvents.start(servers.redisUrl, prefix);
  const queue = new MailQueue({ redisUrl: servers.redisUrl, prefix, retryBaseMs: 50 });
  return {
    app,
    queue,
    jobs,
    async stop() {
      await queue.close();
      await jobs.close();
      await app.close();
    },
  };
}

export function mailMessage(overrides: Partial<MailMessage> = {}): MailMessage {
  return {
    messageId: randomUUID(),
    to: ['admin@example.co.jp'],
    subject: 'Warden アカウントの作成',
    text: '仮パスワード: Tmp-1234-abcd\nhttps://warden.example/activate',
    language: 'ja',
    template: 'activation',
    ...overrides,
  };
}

interface JobEvent {
  event: 'completed' | 'delayed' | 'failed';
  jobId: string;
  detail: string;
}

/** What happened to this queue's jobs (BullMQ's event stream, read from its start). */
export class JobEvents {
  readonly seen: JobEvent[] = [];
  private waiters = new Set<() => void>();

  private constructor(
    private readonly events: QueueEvents,
    private readonly connection: Redis,
  ) {}

  static async start(redisUrl: string, prefix: string): Promise<JobEvents> {
    const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
    // From the stream's first entry: nothing is missed however early it happened.
    const events = new QueueEvents(QUEUES.mail, { connection, prefix, lastEventId: '0-0' });
    const sut = new JobEvents(events, connection);
    events.on('completed', ({ jobId, returnvalue }) =>
      sut.record({ event: 'completed', jobId, detail: String(returnvalue) }),
    );
    events.on('delayed', ({ jobId, delay }) =>
      sut.record({ event: 'delayed', jobId, detail: String(delay) }),
    );
    events.on('failed', ({ jobId, failedReason }) =>
      sut.record({ event: 'failed', jobId, detail: failedReason }),
    );
    await events.waitUntilReady();
    return sut;
  }

  /** Resolves once `count` events of this kind have happened to the job. */
  async waitFor(event: JobEvent['event'], jobId: string, count = 1): Promise<JobEvent[]> {
    const matching = () => this.seen.filter((e) => e.event === event && e.jobId === jobId);
    await new Promise<void>((done, fail) => {
      const check = (): void => {
        if (matching().length < count) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        done();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        fail(
          new Error(`no ${count}× '${event}' for job ${jobId}; saw ${JSON.stringify(this.seen)}`),
        );
      }, GIVE_UP_MS);
      this.waiters.add(check);
      check();
    });
    return matching();
  }

  async close(): Promise<void> {
    await this.events.close();
    await this.connection.quit();
  }

  private record(event: JobEvent): void {
    this.seen.push(event);
    [...this.waiters].forEach((wake) => wake());
  }
}

/** Resolves with the name of the first file in `dir` that `match`es, once it is there. */
export async function waitForFile(dir: string, match: (name: string) => boolean): Promise<string> {
  const watcher = watch(dir);
  try {
    return await new Promise<string>((done, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`no matching file in ${dir} within ${GIVE_UP_MS} ms`)),
        GIVE_UP_MS,
      );
      const check = (): void => {
        readdir(dir).then(
          (names) => {
            const found = names.find(match);
            if (found === undefined) return;
            clearTimeout(timer);
            done(found);
          },
          (error: Error) => fail(error),
        );
      };
      watcher.on('change', check);
      watcher.on('error', fail);
      check();
    });
  } finally {
    watcher.close();
  }
}
