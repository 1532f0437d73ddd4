/**
 * `npm start`: runs the whole system on this machine. Starts (or re-uses, when
 * MONGODB_URI / NATS_URL / REDIS_URL are set) the three servers on fixed
 * loopback ports, the five domain services and the gateway as child
 * processes, waits until /health is up, seeds a demo console and prints where
 * everything is. Ctrl-C stops all of it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICES, type ServiceName } from '@warden/contracts';
import { tokensIn } from '@warden/platform';
import { findRepoRoot, type RunningServers, startLocalServers } from '@warden/testing';
import { childEnv, type RunSettings } from './child-env';
import { seedDemo } from './seed-demo';

// Taken out of this process's environment before anything is spawned: the
// servers below inherit it, and no child should see a token (each service
// gets an environment of its own, see child-env.ts).
const userTokens = process.env['OPS_API_TOKENS'];
delete process.env['OPS_API_TOKENS'];

/** Fixed, documented dev ports (README), away from the standard ones a developer may already use. */
const DEV_PORTS = { nats: 14222, redis: 16379, mongodb: 27117 } as const;
const HEALTH_WAIT_MS = 60_000;

const root = findRepoRoot(__dirname);
const dataDir = join(root, '.data');
const logDir = join(dataDir, 'logs');
const children = new Map<ServiceName, ChildProcess>();
let servers: RunningServers | undefined;
let stopping = false;

async function main(): Promise<void> {
  mkdirSync(logDir, { recursive: true });
  const env = process.env;
  const port = env['PORT'] ?? '8080';
  const tokens = operatorTokens(env['OPS_API_TOKENS_FILE']);

  log(`starting servers (data in ${dataDir})`);
  servers = await startLocalServers({
    dataDir,
    logDir,
    ports: DEV_PORTS,
    persistRedis: true,
    mongoBackend: 'h2',
    external: {
      mongodbUri: env['MONGODB_URI'],
      natsUrl: env['NATS_URL'],
      redisUrl: env['REDIS_URL'],
    },
  });

  const settings: RunSettings = {
    natsUrl: servers.natsUrl,
    mongodbUri: servers.mongodbUri,
    redisUrl: servers.redisUrl,
    logLevel: env['LOG_LEVEL'] ?? 'info',
    version: readVersion(),
    gateway: { host: env['HOST'] ?? '127.0.0.1', port, opsTokensFile: tokens.file },
  };
  for (const service of SERVICES) startService(service, childEnv(service, settings, env));

  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url);
  const demo = await seedDemo(url, tokens.first);

  const lines = [
    '',
    'Warden is running.',
    `  gateway (API)   ${url}`,
    `  health          ${url}/health`,
    `  OpenAPI         ${url}/api/docs`,
    tokens.generated
      ? `  ops API token   ${tokens.first}   (generated for this run, kept in ${tokens.file})`
      : `  ops API token   yours, from ${tokens.file}`,
    ...demo,
    `  service logs    ${logDir}/<service>.log`,
    `  servers         ${servers.mongodbUri}  ${servers.natsUrl}  ${servers.redisUrl}`,
    '',
    'Press Ctrl-C to stop everything.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/**
 * The operator tokens of this run, in a file only the owner can read, which
 * the gateway reads at start: yours (OPS_API_TOKENS_FILE, or OPS_API_TOKENS
 * copied there), else one generated for this run.
 */
function operatorTokens(userFile: string | undefined): {
  file: string;
  first: string;
  generated: boolean;
} {
  if (userFile) {
    const first = tokensIn(readFileSync(userFile, 'utf8'))[0];
    if (!first) throw new Error(`OPS_API_TOKENS_FILE ${userFile} holds no token`);
    return { file: userFile, first, generated: false };
  }
  const given = tokensIn(userTokens ?? '');
  const tokens = given.length > 0 ? given : [`wdn_ops_${randomBytes(24).toString('base64url')}`];
  const file = join(dataDir, 'ops-tokens');
  writeFileSync(file, `${tokens.join('\n')}\n`, { mode: 0o600 });
  chmodSync(file, 0o600); // an older file keeps its mode through writeFileSync
  return { file, first: tokens[0]!, generated: given.length === 0 };
}

function startService(service: ServiceName, env: Record<string, string>): void {
  const out = createWriteStream(join(logDir, `${service}.log`), { flags: 'a' });
  const child = spawn(process.execPath, [join(root, 'services', service, 'dist', 'main.js')], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  children.set(service, child);
  child.once('exit', (code, signal) => {
    children.delete(service);
    if (stopping) return;
    log(`${service} exited (${signal ?? `code ${code}`}); see ${join(logDir, `${service}.log`)}`);
    void shutdown(1);
  });
}

async function waitForHealth(url: string): Promise<void> {
  const deadline = Date.now() + HEALTH_WAIT_MS;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) return;
      last = await response.text();
    } catch (error) {
      last = String(error);
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`the system did not become healthy within ${HEALTH_WAIT_MS / 1000}s: ${last}`);
}

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  log('stopping services');
  await Promise.all(
    [...children.values()].map(
      (child) =>
        new Promise<void>((done) => {
          child.once('exit', () => done());
          child.kill('SIGTERM');
        }),
    ),
  );
  log('stopping servers');
  await servers?.stop();
  process.exit(code);
}

function readVersion(): string {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

function log(message: string): void {
  process.stdout.write(`[start] ${message}\n`);
}

process.once('SIGINT', () => void shutdown(0));
process.once('SIGTERM', () => void shutdown(0));
main().catch((error: unknown) => {
  process.stderr.write(`[start] ${error instanceof Error ? error.message : String(error)}\n`);
  void shutdown(1);
});
