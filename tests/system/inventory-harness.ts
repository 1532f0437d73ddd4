import type { INestMicroservice, Provider } from '@nestjs/common';
import {
  type Caller,
  type EnrolledDevice,
  inventoryEvents,
  inventoryRpc,
  licensingRpc,
} from '@warden/contracts';
import { NatsRpcClient } from '@warden/platform';
import { createInventoryApp, loadInventoryConfig } from '@warden/service-inventory';
import { testServers, uniqueDbName } from '@warden/testing';
import mongoose, { type Connection } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { PublishedEvents } from './published-events';
import { startService } from './system-under-test';

export { codeOf, failure, type Published } from './published-events';

export const operator: Caller = { actor: { type: 'operator', id: 'test-operator' } };
/** The gateway's caller on the agent path: not signed in. */
export const agentPath: Caller = {
  actor: { type: 'anonymous', id: 'anonymous' },
  sourceIp: '203.0.113.7',
};

export interface OpenedConsole {
  consoleId: string;
  siteId: string;
  keycode: string;
  admin: Caller;
}

/**
 * Licensing, policy and inventory over NATS for one `describe` block, an RPC
 * client, and a core-NATS subscriber that keeps every inventory event.
 */
export function inventorySystem(
  options: { inventoryOverrides?: Provider[]; licensing?: Record<string, string> } = {},
) {
  const apps: INestMicroservice[] = [];
  let rpc: NatsRpcClient | undefined;
  const events = new PublishedEvents('inventory', inventoryEvents);
  const inventoryDb = uniqueDbName('inventory');
  let db: Connection | undefined;

  beforeAll(async () => {
    const servers = testServers();
    apps.push(await startService('licensing', options.licensing));
    apps.push(await startService('policy'));
    const inventory = await createInventoryApp(
      loadInventoryConfig({
        NATS_URL: servers.natsUrl,
        MONGODB_URI: servers.mongodbUri,
        MONGODB_DB: inventoryDb,
        LOG_LEVEL: 'warn',
      }),
      { overrides: options.inventoryOverrides ?? [] },
    );
    await inventory.listen();
    apps.push(inventory);
    rpc = await NatsRpcClient.connect({
      url: servers.natsUrl,
      name: 'inventory-test',
      timeoutMs: 30_000,
    });
    await events.start(servers.natsUrl);
  });

  afterAll(async () => {
    await db?.close();
    await events.stop();
    await rpc?.close();
    for (const app of apps.reverse()) await app.close();
  });

  const client = (): NatsRpcClient => {
    if (!rpc) throw new Error('the system is not started: use it inside a test');
    return rpc;
  };

  return {
    rpc: client,
    published: events.published,

    async openConsole(
      site: { seats?: number; enforcement?: 'hard' | 'soft' } = {},
    ): Promise<OpenedConsole> {
      const detail = await client().request(licensingRpc.createConsole, {
        caller: operator,
        idempotencyKey: randomUUID(),
        name: `Company ${randomUUID().slice(0, 8)}`,
        kind: 'production',
        site: {
          name: 'Head office',
          seats: site.seats ?? 50,
          enforcement: site.enforcement ?? 'hard',
        },
      });
      const consoleId = detail.console.id;
      return {
        consoleId,
        siteId: detail.sites[0]!.id,
        keycode: detail.sites[0]!.keycode,
        admin: { actor: { type: 'admin', id: randomUUID() }, consoleId },
      };
    },

    enroll(
      keycode: string,
      device: { hardwareKey?: string; hostname?: string } = {},
    ): Promise<EnrolledDevice> {
      return client().request(inventoryRpc.enroll, {
        caller: agentPath,
        keycode,
        hardwareKey: device.hardwareKey ?? `hw-${randomUUID()}`,
        hostname: device.hostname ?? `PC-${randomUUID().slice(0, 6)}`,
        os: { family: 'windows', version: '11 23H2' },
        agentVersion: '1.0.0',
      });
    },

    /**
     * Sets an endpoint's last check-in back in time, as if it had not been
     * seen since: `lastSeenAt` only ever moves forward through the RPCs.
     */
    async lastSeenLongAgo(deviceId: string, hoursAgo: number): Promise<void> {
      db ??= await mongoose
        .createConnection(testServers().mongodbUri, { dbName: inventoryDb })
        .asPromise();
      const at = new Date(Date.now() - hoursAgo * 3_600_000);
      await db
        .collection('endpoints')
        .updateOne({ _id: deviceId as never }, { $set: { lastSeenAt: at } });
    },

    /** Waits for a published event (never for time). */
    eventWhere: (subject: string, match: (data: Record<string, unknown>) => boolean) =>
      events.eventWhere(subject, match),
  };
}
