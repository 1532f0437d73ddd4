import { startTestServers, TEST_SERVER_ENV } from './test-servers';
import type { RunningServers } from './local-servers';

declare global {
  var __WARDEN_TEST_SERVERS__: RunningServers | undefined;
}

/** Jest globalSetup: one fresh set of real servers for the whole run. */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const { infra, servers } = await startTestServers(process.env);
  globalThis.__WARDEN_TEST_SERVERS__ = servers;
  // Workers are forked after this, so they inherit these.
  process.env[TEST_SERVER_ENV.mongodbUri] = servers.mongodbUri;
  process.env[TEST_SERVER_ENV.natsUrl] = servers.natsUrl;
  process.env[TEST_SERVER_ENV.redisUrl] = servers.redisUrl;
  process.stderr.write(
    `\n[warden] test servers (${infra}) up in ${Date.now() - started} ms: ` +
      `${servers.mongodbUri} ${servers.natsUrl} ${servers.redisUrl}\n`,
  );
}
