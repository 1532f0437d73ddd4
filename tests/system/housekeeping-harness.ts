import type { INestMicroservice } from '@nestjs/common';
import { type AuditEvent, commandEvents, licensingRpc } from '@warden/contracts';
import {
  HOUSEKEEPING_QUEUES,
  HousekeepingScheduler,
  type HousekeepingQueue,
} from '@warden/service-command';
import { TestSmtpServer, testServers, uniqueDbName } from '@warden/testing';
import { QueueEvents } from 'bullmq';
import { eventually } from './agent-cli-harness';
import { inventorySystem, operator } from './inventory-harness';
import { PublishedEvents } from './published-events';
import { startService } from './system-under-test';

export { eventually };

type Env = Record<string, string>;

/** Schedules that do not come round during a test file (runs are asked for with `runNow`). */
export const QUIET_SCHEDULES: Readonly<Env> = {
  HOUSEKEEPING_EVERY_SECONDS: '3600',
  RECONCILE_EVERY_SECONDS: '3600',
  RECONCILE_MIN_AGE_SECONDS: '1',
  // 1 January, 00:00 UTC.
  REPORT_CRON: '0 0 1 1 *',
};

/**
 * Licensing, policy and inventory (see `inventorySystem`) and `copies` copies
 * of the command service sharing one database, one job-queue prefix and one
 * mail-queue prefix of this file's own, for one `describe` block; what the
 * command service audits, and each housekeeping queue's finished runs.
 */
export function housekeepingSystem(options: {
  copies?: number;
  command?: Env;
  licensing?: Env;
  smtp?: boolean;
}) {
  const system = inventorySystem({ licensing: options.licensing ?? {} });
  const commands: INestMicroservice[] = [];
  const audits = new PublishedEvents('command', commandEvents);
  const jobPrefix = uniqueDbName('jobs');
  const completed = new Map<string, string[]>();
  const queueEvents: QueueEvents[] = [];
  let smtp: TestSmtpServer | undefined;

  const eventsOf = (queue: HousekeepingQueue): QueueEvents => {
    const found = queueEvents.find((events) => events.name === queue);
    if (!found) throw new Error(`the system is not started: use it inside a test (${queue})`);
    return found;
  };

  beforeAll(async () => {
    const servers = testServers();
    await audits.start(servers.natsUrl);
    for (const queue of HOUSEKEEPING_QUEUES) {
      const redis = new URL(servers.redisUrl);
      const events = new QueueEvents(queue, {
        connection: { host: redis.hostname, port: Number(redis.port) },
        prefix: jobPrefix,
      });
      events.on('completed', ({ jobId }) => completed.set(queue, [...runsOf(queue), jobId]));
      // An emitter with no listener throws its errors; ioredis reconnects by itself.
      events.on('error', () => undefined);
      await events.waitUntilReady();
      queueEvents.push(events);
    }
    if (options.smtp) smtp = await TestSmtpServer.start();
    const env: Env = {
      MONGODB_DB: uniqueDbName('command'),
      JOB_QUEUE_PREFIX: jobPrefix,
      MAIL_QUEUE_PREFIX: uniqueDbName('mail'),
      ...(smtp ? { SMTP_URL: smtp.url } : {}),
      ...options.command,
    };
    for (let copy = 0; copy < (options.copies ?? 1); copy++) {
      commands.push(await startService('command', env));
    }
  });

  afterAll(async () => {
    for (const command of commands.splice(0)) await command.close();
    for (const events of queueEvents.splice(0)) {
      await events.close();
    }
    await smtp?.stop();
    await audits.stop();
  });

  function audited(action: string): AuditEvent[] {
    return audits.published
      .filter((event) => event.subject === commandEvents.auditRecorded.subject)
      .map((event) => event.data as unknown as AuditEvent)
      .filter((event) => event.action === action);
  }

  function runsOf(queue: HousekeepingQueue): string[] {
    return completed.get(queue) ?? [];
  }

  return {
    ...system,

    /** The audit events the command service published (`seat.reconciled`…). */
    audited,

    /** Waits for the command service's audit event `action` that `match`es (never for time alone). */
    async auditWhere(action: string, match: (event: AuditEvent) => boolean): Promise<AuditEvent> {
      const found = await eventually(
        () => Promise.resolve(audited(action).filter(match)),
        (events) => events.length > 0,
        15_000,
      );
      return found[0]!;
    },

    /** The ids of the runs of a queue that finished since the file started, in order. */
    runsOf,

    /** One run now on the first copy's queue; its result once a worker of any copy finished it. */
    async runNow(queue: HousekeepingQueue, scheduledAt?: Date): Promise<unknown> {
      const job = await commands[0]!.get(HousekeepingScheduler).runNow(queue, scheduledAt);
      return job.waitUntilFinished(eventsOf(queue), 30_000);
    },

    smtp(): TestSmtpServer {
      if (!smtp) throw new Error('start the system with smtp: true');
      return smtp;
    },

    /** The provider changes a site's seats (ADR 0003: lowering them raises `slotRange`). */
    setSeats(siteId: string, seats: number) {
      return system.rpc().request(licensingRpc.updateSite, {
        caller: operator,
        siteId,
        patch: { seats },
      });
    },

    leases(siteId: string) {
      return system.rpc().request(licensingRpc.siteLeases, { caller: operator, siteId });
    },
  };
}
