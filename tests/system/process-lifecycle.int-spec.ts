import { healthCheckRpc } from '@warden/contracts';
import { NatsRpcClient } from '@warden/platform';
import { findRepoRoot, testServers, uniqueDbName } from '@warden/testing';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The built entry point of a service, as `npm start` and the image run it. */
function mainOf(service: string): string {
  const main = join(findRepoRoot(), 'services', service, 'dist', 'main.js');
  if (!existsSync(main)) {
    throw new Error(`${main} is missing: run \`npm run build\` first (\`npm test\` does)`);
  }
  return main;
}

interface Exit {
  code: number | null;
  stderr: string;
}

function run(service: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [mainOf(service)], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((done) => (onReady = done));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (stderr.includes(`${service}: ready`)) onReady();
  });
  const exited = new Promise<Exit>((done) => child.once('exit', (code) => done({ code, stderr })));
  return { child, ready, exited };
}

describe('service processes', () => {
  it('refuse to start on a bad environment, naming every bad variable (exit 78)', async () => {
    const { exited } = run('licensing', {
      MONGODB_URI: 'http://not-mongo',
      LOG_LEVEL: 'loud',
      TRIAL_DAYS_DEFAULT: '0',
    });

    const { code, stderr } = await exited;

    expect(code).toBe(78);
    expect(stderr).toContain('licensing: invalid configuration');
    expect(stderr).toMatch(/MONGODB_URI: must be a URL starting with mongodb:\/\//);
    expect(stderr).toMatch(/LOG_LEVEL: /);
    expect(stderr).toMatch(/TRIAL_DAYS_DEFAULT: /);
    expect(stderr).not.toMatch(/at .*\.js:\d+/); // a message, not a stack trace
  });

  it('serve, then stop cleanly on SIGTERM (exit 0)', async () => {
    const servers = testServers();
    const { child, ready, exited } = run('inventory', {
      NATS_URL: servers.natsUrl,
      MONGODB_URI: servers.mongodbUri,
      MONGODB_DB: uniqueDbName('lifecycle'),
      LOG_LEVEL: 'warn',
    });
    const client = await NatsRpcClient.connect({
      url: servers.natsUrl,
      name: 'lifecycle',
      timeoutMs: 500,
    });
    try {
      await Promise.race([ready, exited]);
      const health = await client.request(healthCheckRpc.inventory, {});
      expect(health.status).toBe('up');

      child.kill('SIGTERM');
      const { code, stderr } = await exited;

      expect(code).toBe(0);
      expect(stderr).toContain('inventory: SIGTERM, shutting down');
    } finally {
      child.kill('SIGKILL');
      await client.close();
    }
  });
});
