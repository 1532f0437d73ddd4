import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerEngineAnswers, startContainers } from './containers';
import { type RunningServers, type ServerUrls, startLocalServers } from './local-servers';

export type TestInfra = 'local' | 'containers';

/**
 * Which servers a test run uses: containers when asked (`TEST_INFRA=containers`)
 * or when a Docker engine answers, otherwise processes started on loopback.
 */
export async function chooseTestInfra(requested: string | undefined): Promise<TestInfra> {
  if (requested === 'local' || requested === 'containers') return requested;
  if (requested !== undefined && requested !== '') {
    throw new Error(`TEST_INFRA must be "local" or "containers", not "${requested}"`);
  }
  return (await dockerEngineAnswers()) ? 'containers' : 'local';
}

/** Starts a fresh set of servers for one test run. */
export async function startTestServers(env: Record<string, string | undefined>): Promise<{
  infra: TestInfra;
  servers: RunningServers;
}> {
  const infra = await chooseTestInfra(env['TEST_INFRA']);
  if (infra === 'containers') return { infra, servers: await startContainers() };
  const dataDir = mkdtempSync(join(tmpdir(), 'warden-test-'));
  const external: Partial<ServerUrls> = {
    mongodbUri: env['MONGODB_URI'],
    natsUrl: env['NATS_URL'],
    redisUrl: env['REDIS_URL'],
  };
  return { infra, servers: await startLocalServers({ dataDir, ports: 'free', external }) };
}

/** Variables through which the global setup hands the servers to test files. */
export const TEST_SERVER_ENV = {
  mongodbUri: 'WARDEN_TEST_MONGODB_URI',
  natsUrl: 'WARDEN_TEST_NATS_URL',
  redisUrl: 'WARDEN_TEST_REDIS_URL',
} as const satisfies Record<keyof ServerUrls, string>;

/** The servers of this run, inside a test file. Fails loudly outside the jest setup. */
export function testServers(): ServerUrls {
  const read = (name: string): string => {
    const value = process.env[name];
    if (!value) {
      throw new Error(
        `${name} is not set: integration tests need the servers that libs/testing's ` +
          'jest global setup starts. Run them with `npm test` or `npx jest --selectProjects integration`.',
      );
    }
    return value;
  };
  return {
    mongodbUri: read(TEST_SERVER_ENV.mongodbUri),
    natsUrl: read(TEST_SERVER_ENV.natsUrl),
    redisUrl: read(TEST_SERVER_ENV.redisUrl),
  };
}

let counter = 0;
/** A database name no other test in this run uses, so tests run in any order. */
export function uniqueDbName(prefix: string): string {
  counter += 1;
  return `t_${prefix}_${process.pid}_${counter}_${Date.now().toString(36)}`;
}
