import type { INestMicroservice } from '@nestjs/common';
import {
  type AuditEvent,
  type Caller,
  type CommandSpecInput,
  type CommandTarget,
  commandEvents,
  commandRpc,
  type EnrolledDevice,
  identityRpc,
  inventoryRpc,
  licensingEvents,
  licensingRpc,
  QUEUES,
} from '@warden/contracts';
import { NatsRpcClient } from '@warden/platform';
import { HousekeepingScheduler, jobConnectionName } from '@warden/service-command';
import { TestSmtpServer, testServers, uniqueDbName } from '@warden/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import mongoose, { type Connection } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { eventually } from './agent-cli-harness';
import { agentPath, operator } from './inventory-harness';
import { PublishedEvents } from './published-events';
import { startService } from './system-under-test';

export { eventually };
export { codeOf, failure } from './published-events';

type Env = Record<string, string>;

/** What the gateway sends on the agent path and its batches (a system caller). */
export const gatewayCaller: Caller = { actor: { type: 'system', id: 'gateway-agent-path' } };

export interface CommandConsole {
  consoleId: string;
  siteId: string;
  keycode: string;
  /** A super admin of the console (active, so alerted). */
  admin: Caller;
  adminEmail: string;
}

/** Schedules that do not come round during a test file (expiry is run with `expireNow`). */
const QUIET_HOUSEKEEPING: Readonly<Env> = {
  HOUSEKEEPING_EVERY_SECONDS: '3600',
  RECONCILE_EVERY_SECONDS: '3600',
  REPORT_CRON: '0 0 1 1 *',
};

/**
 * Licensing, policy, inventory, identity and the command service over NATS
 * for one `describe` block, the command service's and licensing's events,
 * and an SMTP server for the alert e-mails. Licensing and the command
 * service keep their databases and queues across `restart…`, as a process
 * that stops and starts again does.
 */
export function commandSystem(options: { command?: Env } = {}) {
  let licensing: INestMicroservice | undefined;
  let command: INestMicroservice | undefined;
  const others: INestMicroservice[] = [];
  let rpc: NatsRpcClient | undefined;
  let smtp: TestSmtpServer | undefined;
  const commandEventsSeen = new PublishedEvents('command', commandEvents);
  const licensingEventsSeen = new PublishedEvents('licensing', licensingEvents);
  const licensingEnv: Env = { MONGODB_DB: uniqueDbName('licensing') };
  const inventoryDbName = uniqueDbName('inventory');
  let inventoryDb: Connection | undefined;
  const mailQueue = { MAIL_QUEUE_PREFIX: uniqueDbName('mail') };
  let commandEnv: Env = {};
  let commandDb: Connection | undefined;

  beforeAll(async () => {
    const servers = testServers();
    smtp = await TestSmtpServer.start();
    commandEnv = {
      MONGODB_DB: uniqueDbName('command'),
      JOB_QUEUE_PREFIX: uniqueDbName('jobs'),
      SMTP_URL: smtp.url,
      ...mailQueue,
      ...QUIET_HOUSEKEEPING,
      ...options.command,
    };
    await commandEventsSeen.start(servers.natsUrl);
    await licensingEventsSeen.start(servers.natsUrl);
    licensing = await startService('licensing', licensingEnv);
    others.push(await startService('policy'));
    others.push(await startService('inventory', { MONGODB_DB: inventoryDbName }));
    others.push(
      await startService('identity', { PUBLIC_URL: 'http://console.test', ...mailQueue }),
    );
    command = await startService('command', commandEnv);
    rpc = await NatsRpcClient.connect({
      url: servers.natsUrl,
      name: 'command-service-test',
      timeoutMs: 30_000,
    });
  });

  afterAll(async () => {
    await commandDb?.close();
    await inventoryDb?.close();
    await rpc?.close();
    await command?.close();
    for (const app of others.reverse()) await app.close();
    await licensing?.close();
    await commandEventsSeen.stop();
    await licensingEventsSeen.stop();
    await smtp?.stop();
  });

  const client = (): NatsRpcClient => {
    if (!rpc) throw new Error('the system is not started: use it inside a test');
    return rpc;
  };

  function auditsOf(events: PublishedEvents, subject: string, action: string): AuditEvent[] {
    return events.published
      .filter((event) => event.subject === subject)
      .map((event) => event.data as unknown as AuditEvent)
      .filter((event) => event.action === action);
  }

  const system = {
    rpc: client,
    smtp: (): TestSmtpServer => smtp!,
    published: commandEventsSeen.published,

    /** A console whose first administrator has activated their account (so they are alerted). */
    async openConsole(
      site: { seats?: number; enforcement?: 'hard' | 'soft'; language?: 'ja' | 'en' } = {},
    ): Promise<CommandConsole> {
      const language = site.language ?? 'en';
      const detail = await client().request(licensingRpc.createConsole, {
        caller: operator,
        idempotencyKey: randomUUID(),
        name: `Company ${randomUUID().slice(0, 8)}`,
        kind: 'production',
        language,
        site: {
          name: 'Head office',
          seats: site.seats ?? 50,
          enforcement: site.enforcement ?? 'hard',
        },
      });
      const consoleId = detail.console.id;
      const email = `admin-${randomUUID().slice(0, 8)}@example.co.jp`;
      const { items } = await client().request(identityRpc.inviteInitialAdministrators, {
        caller: operator,
        consoleId,
        consoleName: detail.console.name,
        consoleLanguage: language,
        administrators: [{ email, firstName: 'Aiko', lastName: 'Tanaka' }],
      });
      await activate(email);
      return {
        consoleId,
        siteId: detail.sites[0]!.id,
        keycode: detail.sites[0]!.keycode,
        admin: { actor: { type: 'admin', id: items[0]!.id }, consoleId },
        adminEmail: email,
      };
    },

    /** Another site of the console (or of a console of its own), with its keycode. */
    async addSite(consoleId: string, seats: number) {
      const site = await client().request(licensingRpc.createSite, {
        caller: operator,
        consoleId,
        idempotencyKey: randomUUID(),
        name: `Branch ${randomUUID().slice(0, 6)}`,
        seats,
        enforcement: 'hard',
      });
      return { siteId: site.id, keycode: site.keycode };
    },

    /** What the agent does to enrol (through the gateway in production). */
    enroll(keycode: string, hardwareKey = `hw-${randomUUID()}`): Promise<EnrolledDevice> {
      return client().request(inventoryRpc.enroll, {
        caller: agentPath,
        keycode,
        hardwareKey,
        hostname: `PC-${randomUUID().slice(0, 6)}`,
        os: { family: 'windows', version: '11 23H2' },
        agentVersion: '1.0.0',
      });
    },

    /** A check-in as the gateway reports it (batched), seen now. */
    async checkIn(deviceId: string): Promise<void> {
      await client().request(inventoryRpc.recordCheckins, {
        caller: gatewayCaller,
        checkins: [{ deviceId, seenAt: new Date().toISOString() }],
      });
    },

    facts(deviceId: string) {
      return client().request(inventoryRpc.deviceFacts, { caller: gatewayCaller, deviceId });
    },

    /** The one command the admin issues to the endpoint. */
    issue(admin: Caller, endpointId: string, command: CommandSpecInput) {
      return client().request(commandRpc.issueCommand, { caller: admin, endpointId, command });
    },

    preview(admin: Caller, target: CommandTarget, command: CommandSpecInput) {
      return client().request(commandRpc.previewBulk, { caller: admin, target, command });
    },

    get(admin: Caller, commandId: string) {
      return client().request(commandRpc.getCommand, { caller: admin, commandId });
    },

    mailbox(deviceId: string) {
      return client().request(commandRpc.deviceMailbox, { caller: gatewayCaller, deviceId });
    },

    markDelivered(commandId: string, deviceId: string) {
      return client().request(commandRpc.markDelivered, {
        caller: gatewayCaller,
        deliveries: [{ commandId, deviceId, deliveredAt: new Date().toISOString() }],
      });
    },

    ack(deviceId: string, commandId: string, outcome: 'succeeded' | 'failed', message = '') {
      return client().request(commandRpc.acknowledge, {
        caller: { actor: { type: 'device', id: deviceId } },
        deviceId,
        commandId,
        outcome,
        message,
      });
    },

    /** The seat leases of a site, by hardware key. */
    async leasedKeys(siteId: string): Promise<string[]> {
      const { leases } = await client().request(licensingRpc.siteLeases, {
        caller: operator,
        siteId,
      });
      return leases.map((lease) => lease.hardwareKey);
    },

    /** Runs the command-expiry housekeeping now (its schedule does not come round in a test). */
    async expireNow(): Promise<void> {
      await command!.get(HousekeepingScheduler).runNow('command-expiry');
    },

    commandAudits: (action: string) =>
      auditsOf(commandEventsSeen, commandEvents.auditRecorded.subject, action),
    /** Waits for the command service's audit events `action` of this target (never for time alone). */
    commandAuditsOf: (action: string, targetId: string) =>
      eventually(
        () =>
          Promise.resolve(
            auditsOf(commandEventsSeen, commandEvents.auditRecorded.subject, action).filter(
              (audit) => audit.target.id === targetId,
            ),
          ),
        (found) => found.length > 0,
      ),
    licensingAudits: (action: string) =>
      auditsOf(licensingEventsSeen, licensingEvents.auditRecorded.subject, action),

    /** Waits for a command event (never for time). */
    commandEventWhere: (subject: string, match: (data: Record<string, unknown>) => boolean) =>
      commandEventsSeen.eventWhere(subject, match),

    /** What the command's finished verification job returned (what the bench reads). */
    async verificationResult(commandId: string): Promise<unknown> {
      const queue = new Queue(QUEUES.deactivationVerify, {
        connection: new Redis(testServers().redisUrl, { maxRetriesPerRequest: null }),
        prefix: commandEnv['JOB_QUEUE_PREFIX'],
      });
      try {
        const job = await queue.getJob(`verify-${commandId}`);
        return job?.returnvalue;
      } finally {
        await queue.close();
        await queue.disconnect();
      }
    },

    /** The command service's own database, to check what it stored. */
    async commandDatabase(): Promise<Connection> {
      commandDb ??= await mongoose
        .createConnection(testServers().mongodbUri, { dbName: commandEnv['MONGODB_DB'] })
        .asPromise();
      return commandDb;
    },

    /**
     * `count` copies of an enrolled device's endpoint, written straight into
     * inventory's database: many devices without enrolling each (a claim per
     * device through licensing takes minutes at 10 000). They have no seat.
     */
    async cloneEndpoints(deviceId: string, count: number): Promise<string[]> {
      inventoryDb ??= await mongoose
        .createConnection(testServers().mongodbUri, { dbName: inventoryDbName })
        .asPromise();
      const endpoints = inventoryDb.collection<{ _id: string }>('endpoints');
      const original = await endpoints.findOne({ _id: deviceId });
      if (!original) throw new Error(`no endpoint ${deviceId}`);
      const copies = Array.from({ length: count }, (_, i) => ({
        ...original,
        _id: randomUUID(),
        hardwareKey: `hw-${randomUUID()}`,
        hostname: `PC-${i}`,
        hostnameLower: `pc-${i}`,
      }));
      await endpoints.insertMany(copies, { ordered: false });
      return copies.map((copy) => copy._id);
    },

    /** The command service stops (as a process killed between two steps would) … */
    async stopCommand(): Promise<void> {
      await command?.close();
      command = undefined;
    },
    /** … and starts again on the same database and queues. */
    async startCommand(): Promise<void> {
      command = await startService('command', commandEnv);
    },
    /**
     * Redis drops the command service's job connections (a Redis restart or
     * a network cut, as its clients see it); ioredis connects again. Resolves
     * with how many were cut.
     */
    async cutJobConnections(): Promise<number> {
      const admin = new Redis(testServers().redisUrl);
      try {
        const name = jobConnectionName(commandEnv['JOB_QUEUE_PREFIX']!);
        const clients = String(await admin.client('LIST'))
          .split('\n')
          .filter((line) => line.includes(` name=${name} `));
        for (const line of clients) {
          const id = /\bid=(\d+)/.exec(line)?.[1];
          if (id) await admin.client('KILL', 'ID', id);
        }
        return clients.length;
      } finally {
        admin.disconnect();
      }
    },
    async stopLicensing(): Promise<void> {
      await licensing?.close();
      licensing = undefined;
    },
    async startLicensing(): Promise<void> {
      licensing = await startService('licensing', licensingEnv);
    },
  };

  /** Completes an invited administrator's activation from the e-mail identity sent. */
  async function activate(email: string): Promise<void> {
    const mail = await smtp!.waitFor(
      (m) => m.envelopeTo.includes(email) && /activation\//.test(m.mail.text ?? ''),
      15_000,
    );
    const text = mail.mail.text ?? '';
    await client().request(identityRpc.completeActivation, {
      caller: agentPath,
      token: /\/activation\/([A-Za-z0-9_-]+)/.exec(text)![1]!,
      temporaryPassword: /(?:Temporary password|仮パスワード): (\S+)/.exec(text)![1]!,
      password: 'correct1horse2battery3',
      securityCode: 'k7Q9zX2m',
      securityQuestion: 'Favourite animal?',
      securityAnswer: 'Blue Whale',
    });
  }

  return system;
}

export type CommandSystem = ReturnType<typeof commandSystem>;
