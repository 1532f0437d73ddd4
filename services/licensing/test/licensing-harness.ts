import type { INestMicroservice } from '@nestjs/common';
import { type Caller, type ConsoleDetail, licensingRpc, type SiteInput } from '@warden/contracts';
import { DomainError, NatsRpcClient } from '@warden/platform';
import { testServers, uniqueDbName } from '@warden/testing';
import { randomUUID } from 'node:crypto';
import { createLicensingApp } from '../src/app';
import { loadLicensingConfig } from '../src/config';

export const operator: Caller = { actor: { type: 'operator', id: 'test-operator' } };
/** Who claims seats and resolves keycodes in production: the enrolment path, a system caller. */
export const system: Caller = { actor: { type: 'system', id: 'test-enrolment' } };

/** Real licensing copies on the run's NATS and Mongo-wire server, sharing one fresh database. */
export async function startLicensing(
  copies = 1,
  env: Record<string, string> = {},
): Promise<{
  apps: INestMicroservice[];
  client: NatsRpcClient;
  dbName: string;
  stop(): Promise<void>;
}> {
  const servers = testServers();
  const dbName = uniqueDbName('licensing');
  const config = loadLicensingConfig({
    NATS_URL: servers.natsUrl,
    MONGODB_URI: servers.mongodbUri,
    MONGODB_DB: dbName,
    LOG_LEVEL: 'warn',
    ...env,
  });
  const apps: INestMicroservice[] = [];
  for (let i = 0; i < copies; i++) {
    const app = await createLicensingApp(config);
    await app.listen();
    apps.push(app);
  }
  const client = await NatsRpcClient.connect({
    url: servers.natsUrl,
    name: 'licensing-test',
    timeoutMs: 30_000,
  });
  return {
    apps,
    client,
    dbName,
    async stop() {
      await client.close();
      await Promise.all(apps.map((app) => app.close()));
    },
  };
}

export function openConsole(
  client: NatsRpcClient,
  site: Partial<SiteInput> = {},
  kind: 'trial' | 'production' = 'production',
): Promise<ConsoleDetail> {
  return client.request(licensingRpc.createConsole, {
    caller: operator,
    idempotencyKey: randomUUID(),
    name: `Test company ${randomUUID().slice(0, 8)}`,
    kind,
    site: { name: 'Head office', seats: 10, ...site },
  });
}

/** The error code a rejected promise carries, or 'OK'. */
export async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    return error instanceof DomainError ? error.code : `UNEXPECTED ${String(error)}`;
  }
}

export function tally(outcomes: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[o] = (counts[o] ?? 0) + 1;
  return counts;
}
