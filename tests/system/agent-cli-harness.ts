import type { INestMicroservice } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { EndpointPage, EndpointSummary } from '@warden/contracts';
import { createGatewayApp, loadGatewayConfig } from '@warden/service-gateway';
import { findRepoRoot, type TestSmtpServer, testServers, uniqueDbName } from '@warden/testing';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Call } from './console-client';
import { type Fleet } from './endpoints-harness';
import {
  RAISED_SIGN_IN_LIMITS,
  type SignInServices,
  startService,
  startSignInServices,
  TEST_SECRETS,
} from './system-under-test';

/*
 * The reference agent (tools/agent) driving the whole system from outside, as
 * an installed agent does: the built CLI, copied out of the repository (no
 * node_modules within reach), run as child processes against a gateway on
 * loopback.
 */

const root = findRepoRoot(__dirname);
const AGENT_DIST = join(root, 'tools', 'dist', 'agent');

/**
 * Builds the tools (incremental: a no-op when nothing changed) and copies the
 * agent's .js files, as the installer bundle does, into a fresh folder
 * outside the repository. Returns the path of its cli.js.
 */
export function builtAgentCopy(): string {
  try {
    execFileSync(
      process.execPath,
      [require.resolve('typescript/bin/tsc'), '-b', 'tools/tsconfig.agent.json'],
      { cwd: root, stdio: 'pipe' },
    );
  } catch (error) {
    const output = (error as { stdout?: Buffer }).stdout?.toString() ?? '';
    throw new Error(`building the reference agent failed:\n${output}`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'warden-agent-cli-'));
  for (const name of readdirSync(AGENT_DIST).filter((n) => n.endsWith('.js'))) {
    copyFileSync(join(AGENT_DIST, name), join(dir, name));
  }
  return join(dir, 'cli.js');
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A CLI run to its end. */
export function runCli(cli: string, args: string[], cwd?: string): Promise<CliResult> {
  return runProcess(process.execPath, [cli, ...args], cwd);
}

/**
 * A program run to its end, without blocking this process: the gateway it
 * talks to runs here too, so a synchronous exec would wait on itself.
 */
export function runProcess(program: string, args: string[], cwd?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A long-running CLI (`run`, `swarm`) whose stderr lines a test waits on. */
export class RunningCli {
  readonly lines: string[] = [];
  private readonly waiters: { test: (line: string) => boolean; done: (line: string) => void }[] =
    [];
  private readonly child: ChildProcess;
  readonly exited: Promise<CliResult>;

  constructor(cli: string, args: string[], cwd?: string) {
    this.child = spawn(process.execPath, [cli, ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let partial = '';
    this.child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    this.child.stderr!.on('data', (chunk: Buffer) => {
      partial += chunk.toString();
      const complete = partial.split('\n');
      partial = complete.pop()!;
      for (const line of complete) this.take(line);
    });
    this.exited = new Promise((resolve) =>
      this.child.once('close', (code) => resolve({ code, stdout, stderr: this.lines.join('\n') })),
    );
  }

  /** The first stderr line, past or future, that `pattern` matches. */
  waitForLine(pattern: RegExp, after = 0): Promise<string> {
    const seen = this.lines.slice(after).find((line) => pattern.test(line));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((done, fail) => {
      this.waiters.push({ test: (line) => pattern.test(line), done });
      void this.exited.then((result) =>
        fail(new Error(`the agent exited (${result.code}) before ${pattern}:\n${result.stderr}`)),
      );
    });
  }

  /** SIGTERM, as a service manager stops it; resolves with how it ended. */
  stop(): Promise<CliResult> {
    this.child.kill('SIGTERM');
    return this.exited;
  }

  private take(line: string): void {
    this.lines.push(line);
    for (const waiter of [...this.waiters]) {
      if (!waiter.test(line)) continue;
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.done(line);
    }
  }
}

/** A loopback port free right now (the gateway must know its public URL before it starts). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

type Env = Record<string, string>;

export interface AgentStack {
  url(): string;
  smtp(): TestSmtpServer;
  /** Stops inventory (its copy drains) and starts it again on the same database. */
  stopInventory(): Promise<void>;
  startInventory(): Promise<void>;
  /** Closes the gateway (its last-seen batch flushes) and opens a new one on the same port. */
  stopGateway(): Promise<void>;
  startGateway(): Promise<void>;
}

/**
 * The system an agent and an administrator use, for one `describe` block:
 * licensing, policy, inventory, identity and command behind a gateway whose
 * PUBLIC_URL is its own loopback address (so a downloaded bundle points at
 * it) and which serves the agent built from this tree. Inventory keeps a
 * database name of its own so a test can restart it; `env.command` adds to
 * the command service's settings (short timings, a job queue of its own).
 */
export function agentStack(gatewayEnv: Env = {}, env: { command?: Env } = {}): AgentStack {
  const inventoryDb = uniqueDbName('inventory');
  let gateway: NestFastifyApplication | undefined;
  let url = '';
  const services: INestMicroservice[] = [];
  let inventory: INestMicroservice | undefined;
  let signIn: SignInServices | undefined;
  let config: ReturnType<typeof loadGatewayConfig> | undefined;
  const startGateway = async () => {
    gateway = await createGatewayApp(config!);
    await gateway.listen(config!.port, '127.0.0.1');
  };
  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    config = loadGatewayConfig({
      NATS_URL: testServers().natsUrl,
      REDIS_URL: testServers().redisUrl,
      REDIS_KEY_PREFIX: `${uniqueDbName('gateway')}:`,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      HEALTH_TIMEOUT_MS: '500',
      ACCESS_TOKEN_VERIFY_KEY: TEST_SECRETS.accessTokenVerifyKey,
      PUBLIC_URL: url,
      AGENT_DIST_DIR: AGENT_DIST,
      ...RAISED_SIGN_IN_LIMITS,
      ...gatewayEnv,
    });
    await startGateway();
    services.push(await startService('licensing'));
    services.push(await startService('policy'));
    inventory = await startService('inventory', { MONGODB_DB: inventoryDb });
    signIn = await startSignInServices(url, env);
  });
  afterAll(async () => {
    await gateway?.close();
    await signIn?.stop();
    await inventory?.close();
    for (const service of services.reverse()) await service.close();
  });
  return {
    url: () => url,
    smtp() {
      if (!signIn) throw new Error('the system is not started: use smtp() inside a test');
      return signIn.smtp;
    },
    async stopInventory() {
      await inventory?.close();
      inventory = undefined;
    },
    async startInventory() {
      inventory = await startService('inventory', { MONGODB_DB: inventoryDb });
    },
    async stopGateway() {
      await gateway?.close();
      gateway = undefined;
    },
    startGateway,
  };
}

/** Every endpoint of the site, page after page, as the console's table lists them. */
export async function allEndpoints(call: Call, site: Fleet): Promise<EndpointSummary[]> {
  const items: EndpointSummary[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ siteId: site.siteId, limit: '200' });
    if (cursor) query.set('cursor', cursor);
    const page = await call<EndpointPage>('GET', `/api/v1/endpoints?${query.toString()}`, {
      token: site.token,
    });
    if (page.status !== 200) throw new Error(`listing endpoints: ${page.status} ${page.text}`);
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return items;
}

/** Seats used in the site, as the provider sees them (ops API). */
export async function seatsUsed(call: Call, opsToken: string, site: Fleet): Promise<number> {
  const reply = await call<{ usage: { used: number } }>(
    'GET',
    `/ops/v1/sites/${site.siteId}/usage`,
    {
      token: opsToken,
    },
  );
  if (reply.status !== 200) throw new Error(`site usage: ${reply.status} ${reply.text}`);
  return reply.body.usage.used;
}

/**
 * Until `check` holds (for what the system does a moment later, such as a
 * batched last-seen write), asking again each 100 ms; fails with the last
 * answer after `timeoutMs`.
 */
export async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`still not there after ${timeoutMs} ms: ${JSON.stringify(value)}`);
    }
    await new Promise((done) => setTimeout(done, 100));
  }
}
