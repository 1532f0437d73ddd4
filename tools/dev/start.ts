/**
 * `npm start`: runs the whole system on this machine. Starts (or re-uses, when
 * MONGODB_URI / NATS_URL / REDIS_URL are set) the three servers on fixed
 * loopback ports, the five domain services and the gateway as child
 * processes, waits until /health is up, seeds a demo console and prints where
 * everything is. Ctrl-C stops all of it. Mail goes to .eml files in .data/mail
 * unless SMTP_URL is set; the token keys live in .data/secrets.json.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICES, type ServiceName } from '@warden/contracts';
import { tokensIn } from '@warden/platform';
import { findRepoRoot, type RunningServers, startLocalServers } from '@warden/testing';
import { childEnv, type RunSettings } from './child-env';
import { loadOrCreateDevSecrets } from './dev-secrets-file';
import { seedDemo } from './seed-demo';

// Taken out of this process's environment before anything is spawned: the
// servers below inherit it, and no child should see a token (each service
// gets an environment of its own, see child-env.ts).
const userTokens = process.env['OPS_API_TOKENS'];
delete process.env['OPS_API_TOKENS'];
// Likewise the secrets a developer may set instead of the stored ones, and an
// SMTP URL (it may hold a password): each reaches only the service that reads it.
const USER_SECRETS = [
  'ACCESS_TOKEN_SIGNING_KEY',
  'ACCESS_TOKEN_VERIFY_KEY',
  'SECRETS_ENCRYPTION_KEY',
  'SMTP_URL',
] as const;
const userSecrets: Record<string, string | undefined> = {};
for (const name of USER_SECRETS) {
  userSecrets[name] = process.env[name];
  delete process.env[name];
}

/** Fixed, documented dev ports (README), away from the standard ones a developer may already use. */
const DEV_PORTS = { nats: 14222, redis: 16379, mongodb: 27117 } as const;
const HEALTH_WAIT_MS = 60_000;

const root = findRepoRoot(__dirname);
const dataDir = join(root, '.data');
const logDir = join(dataDir, 'logs');
const mailSpoolDir = join(dataDir, 'mail');
const children = new Map<ServiceName, ChildProcess>();
let servers: RunningServers | undefined;
let stopping = false;

async function main(): Promise<void> {
  mkdirSync(logDir, { recursive: true });
  const env = { ...process.env, ...userSecrets };
  const port = env['PORT'] ?? '8080';
  const tokens = operatorTokens(env['OPS_API_TOKENS_FILE']);
  const secretsFile = join(dataDir, 'secrets.json');
  const { secrets, created } = loadOrCreateDevSecrets(secretsFile);
  if (created) log(`generated the token keys and the encryption key into ${secretsFile}`);
  if (!env['ACCESS_TOKEN_SIGNING_KEY'] !== !env['ACCESS_TOKEN_VERIFY_KEY']) {
    log(
      'warning: only one of ACCESS_TOKEN_SIGNING_KEY and ACCESS_TOKEN_VERIFY_KEY is set; ' +
        'the other comes from .data/secrets.json, so sign-in tokens will not verify',
    );
  }

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
    gateway: {
      host: env['HOST'] ?? '127.0.0.1',
      port,
      opsTokensFile: tokens.file,
      agentDistDir: join(root, 'tools', 'dist', 'agent'),
    },
    publicUrl: env['PUBLIC_URL'] ?? `http://127.0.0.1:${port}`,
    mailSpoolDir,
    secrets,
  };
  for (const service of SERVICES) startService(service, childEnv(service, settings, env));

  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url);
  const demo = await seedDemo(url, tokens.first, {
    mailSpoolDir: env['SMTP_URL'] ? null : mailSpoolDir,
    publicUrl: settings.publicUrl,
    agentDir: join(dataDir, 'agent'),
  });

  const lines = [
    '',
    'Warden is running.',
    `  web console     ${url}/`,
    `  gateway (API)   ${url}/api/v1`,
    `  health          ${url}/health`,
    `  OpenAPI         ${url}/api/docs`,
    tokens.generated
      ? `  ops API token   ${tokens.first}   (generated for this run, kept in ${tokens.file})`
      : `  ops API token   yours, from ${tokens.file}`,
    ...demo,
    mailLine(env['SMTP_URL']),
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

/** Where mail goes: the spool folder, or the SMTP server (its host, never its password). */
function mailLine(smtpUrl: string | undefined): string {
  if (!smtpUrl) return `  mail (spool)    ${mailSpoolDir}/*.eml  (set SMTP_URL to send real mail)`;
  try {
    return `  mail (SMTP)     ${new URL(smtpUrl).host}  (SMTP_URL)`;
  } catch {
    return '  mail (SMTP)     SMTP_URL is not a URL: see the command log';
  }
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
