/**
 * `npm run bench`: boots real servers and real service processes on this
 * machine and reports throughput and latency, with ratios to a bare Fastify
 * hello-world measured in the same run. Figures, not assertions: the only
 * failure is a broken invariant (a seat oversubscribed).
 */
import { type Caller, licensingRpc, type ConsoleDetail } from '@warden/contracts';
import { DomainError, NatsRpcClient } from '@warden/platform';
import { findRepoRoot, type RunningServers, startLocalServers } from '@warden/testing';
import autocannon from 'autocannon';
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

const root = findRepoRoot(__dirname);
const DURATION_S = Number(process.env['BENCH_SECONDS'] ?? 8);
const CONNECTIONS = 50;
const BENCH: Caller = { actor: { type: 'system', id: 'bench' } };
const children: ChildProcess[] = [];

interface HttpFigures {
  rate: number;
  p50: number;
  p99: number;
  errors: number;
}

async function main(): Promise<void> {
  const servers = await startLocalServers({
    dataDir: mkdtempSync(join(tmpdir(), 'warden-bench-')),
    ports: 'free',
  });
  try {
    await run(servers);
  } finally {
    children.forEach((child) => child.kill('SIGTERM'));
    await servers.stop();
  }
}

async function run(servers: RunningServers): Promise<void> {
  line(
    `Warden bench — ${cpus().length} cores, Node ${process.version}, ${DURATION_S}s per HTTP run, ${CONNECTIONS} connections`,
  );
  line(
    `servers: ${servers.mongodbUri} ${servers.natsUrl} ${servers.redisUrl} (local mongo-java-server, memory backend)`,
  );

  const helloUrl = await startChild(
    join(root, 'tools', 'dist', 'bench', 'hello-server.js'),
    {},
    /ready (\S+)/,
  );
  const hello = await http(helloUrl);
  report('bare Fastify hello-world (ceiling)', hello);
  children.pop()?.kill('SIGTERM');

  const opsToken = `bench_${randomBytes(24).toString('hex')}`;
  const env = {
    NATS_URL: servers.natsUrl,
    MONGODB_URI: servers.mongodbUri,
    REDIS_URL: servers.redisUrl,
    LOG_LEVEL: 'warn',
  };
  await startChild(join(root, 'services', 'licensing', 'dist', 'main.js'), env, null);
  const gatewayUrl = await startChild(
    join(root, 'services', 'gateway', 'dist', 'main.js'),
    {
      ...env,
      PORT: '0',
      OPS_API_TOKEN_HASHES: createHash('sha256').update(opsToken).digest('hex'),
      // Required at start; no console route is measured here.
      ACCESS_TOKEN_VERIFY_KEY: generateKeyPairSync('ec', { namedCurve: 'P-256' })
        .publicKey.export({ type: 'spki', format: 'pem' })
        .toString(),
      // The bench measures throughput, not the limits (one Redis round trip per request stays).
      RATE_LIMIT_OPS: '10000000',
      RATE_LIMIT_PUBLIC: '10000000',
    },
    /gateway listening on (\S+)/,
  );
  const rpc = await NatsRpcClient.connect({
    url: servers.natsUrl,
    name: 'bench',
    timeoutMs: 30_000,
  });
  try {
    await waitForLicensing(rpc);

    const live = await http(`${gatewayUrl}/health/live`);
    report('gateway only: GET /health/live', live, hello);

    const demo = await openConsole(rpc, 1_000);
    const site = demo.sites[0]!;
    const read = await http(`${gatewayUrl}/ops/v1/sites/${site.id}`, {
      authorization: `Bearer ${opsToken}`,
    });
    report('full path: GET /ops/v1/sites/:id (gateway → NATS → licensing → DB)', read, hello);

    await seatClaims(rpc, await openConsole(rpc, 100_000), 2_000);
    await seatClaims(rpc, await openConsole(rpc, 400), 600);
  } finally {
    await rpc.close();
  }
}

function openConsole(rpc: NatsRpcClient, seats: number): Promise<ConsoleDetail> {
  return rpc.request(licensingRpc.createConsole, {
    caller: BENCH,
    idempotencyKey: randomUUID(),
    name: 'Bench KK',
    kind: 'production',
    site: { name: 'Bench site', seats },
  });
}

/** Many devices claiming at once (more than seats, or fewer): rate, latency and the invariant. */
async function seatClaims(rpc: NatsRpcClient, demo: ConsoleDetail, devices: number): Promise<void> {
  const site = demo.sites[0]!;
  const concurrency = 64;
  const latencies: number[] = [];
  const outcomes: Record<string, number> = {};
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < devices) {
        const hardwareKey = `bench-device-${next++}`;
        const t0 = performance.now();
        let code = 'OK';
        try {
          await rpc.request(licensingRpc.claimSeat, {
            caller: BENCH,
            siteId: site.id,
            hardwareKey,
          });
        } catch (error) {
          code = error instanceof DomainError ? error.code : 'UNEXPECTED';
        }
        latencies.push(performance.now() - t0);
        outcomes[code] = (outcomes[code] ?? 0) + 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const after = await rpc.request(licensingRpc.getSite, { caller: BENCH, siteId: site.id });
  latencies.sort((a, b) => a - b);
  const oversubscribed = Math.max(0, after.usage.used - after.usage.seats);
  line(
    `seat claims over NATS: ${devices} devices for ${after.usage.seats} seats, ${concurrency} at once → ` +
      `${fmt(devices / seconds)} claims/s, p50 ${ms(pct(latencies, 50))}, p99 ${ms(pct(latencies, 99))}; ` +
      `outcomes ${JSON.stringify(outcomes)}; leases ${after.usage.used}; oversubscribed ${oversubscribed}`,
  );
  if (oversubscribed > 0) {
    line('FAIL: a hard seat limit was oversubscribed');
    process.exitCode = 1;
  }
}

async function http(url: string, headers: Record<string, string> = {}): Promise<HttpFigures> {
  const result = await autocannon({ url, headers, connections: CONNECTIONS, duration: DURATION_S });
  return {
    rate: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx + result.timeouts,
  };
}

function report(name: string, figures: HttpFigures, ceiling?: HttpFigures): void {
  const ratio = ceiling ? `  (${(figures.rate / ceiling.rate).toFixed(3)} of hello-world)` : '';
  line(
    `${name}: ${fmt(figures.rate)} req/s, p50 ${ms(figures.p50)}, p99 ${ms(figures.p99)}, errors ${figures.errors}${ratio}`,
  );
}

async function waitForLicensing(rpc: NatsRpcClient): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      await rpc.request(licensingRpc.listConsoles, { caller: BENCH, limit: 1 }, { timeoutMs: 500 });
      return;
    } catch {
      await new Promise((done) => setTimeout(done, 100));
    }
  }
  throw new Error('licensing did not start');
}

/** Starts a built entry point; resolves with the first match of `ready` on stdout (or at once). */
function startChild(
  entry: string,
  env: Record<string, string>,
  ready: RegExp | null,
): Promise<string> {
  const child = spawn(process.execPath, [entry], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  if (!ready) return Promise.resolve('');
  return new Promise((done, fail) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = ready.exec(out);
      if (match) done(match[1]!);
    });
    child.once('exit', (code) => fail(new Error(`${entry} exited with ${code}`)));
  });
}

const pct = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const ms = (n: number): string => `${n.toFixed(1)} ms`;
const line = (text: string): void => void process.stdout.write(`${text}\n`);

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  children.forEach((child) => child.kill('SIGKILL'));
  process.exit(1);
});
