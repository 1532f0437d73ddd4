/**
 * `npm run bench`: boots real servers and real service processes on this
 * machine and reports throughput and latency, with ratios to a bare Fastify
 * hello-world measured in the same run, as one table (printed) and as JSON
 * (`.cache/bench/bench-results.json`). Figures, not assertions: the only
 * failure is a broken invariant (a seat oversubscribed).
 *
 * BENCH_SECONDS sets each HTTP run's length (default 8); BENCH_DEVICES the
 * devices enrolled and checking in (default 10 000); BENCH_PROFILE=1 runs the
 * gateway with `--cpu-prof` (profiles in `.cache/bench/profiles`).
 */
import {
  type Caller,
  type CheckinBody,
  type ConsoleDetail,
  type EnrollBody,
  type EnrollReply,
  inventoryRpc,
  licensingRpc,
} from '@warden/contracts';
import { NatsRpcClient } from '@warden/platform';
import { findRepoRoot, type RunningServers, startLocalServers } from '@warden/testing';
import autocannon from 'autocannon';
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  concurrently,
  ENROL_CONCURRENCY,
  fmt,
  line,
  ms,
  pct,
  Refused,
  type Row,
  rows,
} from './bench-kit';
import { commandFanOut, deactivationLateness } from './commands-bench';

const root = findRepoRoot(__dirname);
const DURATION_S = Number(process.env['BENCH_SECONDS'] ?? 8);
const DEVICES = Number(process.env['BENCH_DEVICES'] ?? 10_000);
const PROFILE = process.env['BENCH_PROFILE'] === '1';
/**
 * `agent`: only the ceiling and the agent API (faster, for tuning it);
 * `commands`: the ceiling, enrolment and the command runs.
 */
const ONLY = process.env['BENCH_ONLY'];
const CONNECTIONS = 50;
/** The command service's BullMQ prefix here: the lateness run reads its jobs. */
const COMMAND_QUEUE_PREFIX = 'bench';
const DEACTIVATION_GRACE_S = 3;
/** Devices deactivated while the check-in load runs. */
const DEACTIVATED_DEVICES = 300;
const BENCH: Caller = { actor: { type: 'system', id: 'bench' } };
const OUT_DIR = join(root, '.cache', 'bench');
const children: ChildProcess[] = [];
/** The process behind each URL a child listens on. */
const pidByOrigin = new Map<string, number>();

interface HttpFigures {
  rate: number;
  p50: number;
  p99: number;
  errors: number;
  /** CPU time the process under test spent per request (user + system), when known. */
  cpuPerRequestUs?: number;
  /** Of one core, what the load generator (this process) used meanwhile. */
  clientShare?: number;
}

/** A child's CPU time so far, in µs (Linux: /proc/<pid>/stat, in clock ticks of 10 ms). */
function cpuTimeUs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const servers = await startLocalServers({
    dataDir: mkdtempSync(join(tmpdir(), 'warden-bench-')),
    ports: 'free',
  });
  try {
    await run(servers);
  } finally {
    await Promise.all(children.map(stopChild));
    await servers.stop();
    // What was measured before a failure is kept too.
    printTable();
  }
  mkdirSync(OUT_DIR, { recursive: true });
  const file = join(OUT_DIR, 'bench-results.json');
  writeFileSync(
    file,
    `${JSON.stringify({ at: new Date().toISOString(), machine: machine(), rows }, null, 2)}\n`,
  );
  line(`written: ${file}`);
}

function machine() {
  return {
    cores: cpus().length,
    cpu: cpus()[0]?.model,
    node: process.version,
    secondsPerRun: DURATION_S,
    connections: CONNECTIONS,
    devices: DEVICES,
  };
}

async function run(servers: RunningServers): Promise<void> {
  line(
    `Warden bench — ${cpus().length} cores, Node ${process.version}, ${DURATION_S}s per HTTP run, ` +
      `${CONNECTIONS} connections, ${DEVICES} devices`,
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
  record('bare Fastify hello-world (ceiling)', hello);
  await stopChild(children.pop()!);

  const opsToken = `bench_${randomBytes(24).toString('hex')}`;
  const env = {
    NATS_URL: servers.natsUrl,
    MONGODB_URI: servers.mongodbUri,
    REDIS_URL: servers.redisUrl,
    LOG_LEVEL: 'warn',
  };
  await startChild(join(root, 'services', 'licensing', 'dist', 'main.js'), env, null);
  await startChild(join(root, 'services', 'policy', 'dist', 'main.js'), env, null);
  await startChild(join(root, 'services', 'inventory', 'dist', 'main.js'), env, null);
  await startChild(
    join(root, 'services', 'command', 'dist', 'main.js'),
    {
      ...env,
      MAIL_SPOOL_DIR: mkdtempSync(join(tmpdir(), 'warden-bench-mail-')),
      JOB_QUEUE_PREFIX: COMMAND_QUEUE_PREFIX,
      // Verifications come due while the check-in load of the lateness run goes on.
      DEACTIVATION_GRACE_SECONDS: String(DEACTIVATION_GRACE_S),
    },
    null,
  );
  const gatewayEnv = {
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
    // Each device checks in many times a second here, as no real one does.
    AGENT_DEVICE_BURST: '1000000',
    AGENT_DEVICE_PER_MINUTE: '10000000',
    // Every simulated device comes from 127.0.0.1, and the miss-path run misses on purpose.
    AGENT_LOOKUPS_PER_IP_PER_MINUTE: '10000000',
  };
  const gatewayUrl = await startChild(
    join(root, 'services', 'gateway', 'dist', 'main.js'),
    gatewayEnv,
    /gateway listening on (\S+)/,
    PROFILE ? ['--cpu-prof', '--cpu-prof-dir', join(OUT_DIR, 'profiles')] : [],
  );
  const rpc = await NatsRpcClient.connect({
    url: servers.natsUrl,
    name: 'bench',
    timeoutMs: 30_000,
  });
  try {
    await waitForLicensing(rpc);

    const live = await http(`${gatewayUrl}/health/live`);
    record('gateway only: GET /health/live', live, hello);

    if (ONLY === undefined) {
      const demo = await openConsole(rpc, 1_000);
      const site = demo.sites[0]!;
      const read = await http(`${gatewayUrl}/ops/v1/sites/${site.id}`, {
        authorization: `Bearer ${opsToken}`,
      });
      record('GET /ops/v1/sites/:id (gateway → NATS → licensing → DB)', read, hello);

      await seatClaims(rpc, await openConsole(rpc, 100_000), 2_000);
      await seatClaims(rpc, await openConsole(rpc, 400), 600);
    }

    const fleetConsole = await openConsole(rpc, DEVICES * 2);
    const fleet = await enrolments(rpc, gatewayUrl, fleetConsole, DEVICES);
    if (ONLY === undefined) {
      await enrolments(rpc, gatewayUrl, await openConsole(rpc, 400), 600);
      await lastSeenWrites(rpc, fleet);
      // One message only: at 10 000 endpoints it takes tens of seconds.
      await lastSeenWrites(rpc, fleet.slice(0, 2_000), 'ok', 1);
    }

    // One pass over every device: each one's credentials and policy loaded once (warm directory).
    const warmedAt = new Date().toISOString();
    await checkinsOnce(gatewayUrl, fleet);
    await lastSeenLanded(rpc, fleet, warmedAt);
    const full = await checkins(gatewayUrl, fleet);
    record(`check-in, full path, ${fleet.length} devices (warm directory)`, full, hello);
    const halfRate = Math.round(full.rate / 2);
    if (ONLY !== 'commands') {
      const half = await checkins(gatewayUrl, fleet, halfRate);
      record('check-in at half that rate', half, hello, `overallRate ${fmt(halfRate)}/s`);
    }

    if (ONLY !== 'agent') {
      await commandFanOut(
        rpc,
        gatewayUrl,
        fleetConsole.console.id,
        fleetConsole.sites[0]!.id,
        fleet,
      );
      const leaving = await openConsole(rpc, DEACTIVATED_DEVICES);
      await deactivationLateness(rpc, {
        gatewayUrl,
        redisUrl: servers.redisUrl,
        queuePrefix: COMMAND_QUEUE_PREFIX,
        consoleId: leaving.console.id,
        siteId: leaving.sites[0]!.id,
        devices: await enrolments(rpc, gatewayUrl, leaving, DEACTIVATED_DEVICES),
        load: async () => {
          const during = await checkins(gatewayUrl, fleet, halfRate);
          record('check-in at half rate, deactivations coming due', during, hello);
        },
      });
    }
    if (ONLY !== undefined) return;
    // A gateway holding 100 devices: nearly every check-in asks inventory (the directory's miss path).
    const coldUrl = await startChild(
      join(root, 'services', 'gateway', 'dist', 'main.js'),
      { ...gatewayEnv, AGENT_DEVICE_CACHE_SIZE: '100' },
      /gateway listening on (\S+)/,
    );
    const cold = await checkins(coldUrl, fleet);
    record(`check-in, every device loaded (miss path, directory of 100)`, cold, hello);
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
  const { latencies, outcomes, seconds } = await concurrently(devices, async (i) => {
    await rpc.request(licensingRpc.claimSeat, {
      caller: BENCH,
      siteId: site.id,
      hardwareKey: `bench-device-${i}`,
    });
  });
  await seatInvariant(rpc, site.id, `seat claims over NATS: ${devices} devices`, {
    devices,
    latencies,
    outcomes,
    seconds,
  });
}

/** Devices enrolling through the gateway (inventory → licensing → inventory), 64 at once. */
async function enrolments(
  rpc: NatsRpcClient,
  gatewayUrl: string,
  demo: ConsoleDetail,
  devices: number,
): Promise<EnrollReply[]> {
  const site = demo.sites[0]!;
  const enrolled: EnrollReply[] = [];
  const run = await concurrently(devices, async (i) => {
    const body: EnrollBody = {
      keycode: site.keycode,
      hardwareKey: `bench-hw-${site.id}-${i}`,
      hostname: `BENCH-PC-${i}`,
      os: { family: 'windows', version: '11 23H2' },
      agentVersion: '5.0.0',
    };
    const response = await fetch(`${gatewayUrl}/agent/v1/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const reply = (await response.json()) as EnrollReply & { error?: { code: string } };
    if (!response.ok) throw new Refused(reply.error?.code ?? `HTTP ${response.status}`);
    enrolled.push(reply);
  });
  await seatInvariant(rpc, site.id, `enrolment over HTTP: ${devices} devices`, {
    devices,
    ...run,
  });
  return enrolled;
}

async function seatInvariant(
  rpc: NatsRpcClient,
  siteId: string,
  what: string,
  run: { devices: number; latencies: number[]; outcomes: Record<string, number>; seconds: number },
): Promise<void> {
  const after = await rpc.request(licensingRpc.getSite, { caller: BENCH, siteId });
  const oversubscribed = Math.max(0, after.usage.used - after.usage.seats);
  run.latencies.sort((a, b) => a - b);
  rows.push({
    measure: `${what} for ${after.usage.seats} seats, ${ENROL_CONCURRENCY} at once`,
    rate: run.devices / run.seconds,
    unit: 'devices/s',
    p50: pct(run.latencies, 50),
    p99: pct(run.latencies, 99),
    note:
      `outcomes ${JSON.stringify(run.outcomes)}; leases ${after.usage.used}; ` +
      `oversubscribed ${oversubscribed}`,
  });
  if (oversubscribed > 0) {
    line(`FAIL: a hard seat limit was oversubscribed (${what})`);
    process.exitCode = 1;
  }
}

/**
 * What one gateway's last-seen batches cost inventory: the whole fleet's
 * check-ins, 2 000 a message, one message at a time as a gateway sends them.
 */
async function lastSeenWrites(
  rpc: NatsRpcClient,
  fleet: EnrollReply[],
  status?: 'ok',
  rounds = 2,
): Promise<void> {
  const latencies: number[] = [];
  const started = performance.now();
  for (let round = 0; round < rounds; round++) {
    const seenAt = new Date().toISOString();
    for (let start = 0; start < fleet.length; start += 2_000) {
      const t0 = performance.now();
      await rpc.request(inventoryRpc.recordCheckins, {
        caller: BENCH,
        checkins: fleet.slice(start, start + 2_000).map((device) => ({
          deviceId: device.deviceId,
          seenAt,
          ip: '192.0.2.1',
          ...(status ? { status } : {}),
        })),
      });
      latencies.push(performance.now() - t0);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  rows.push({
    measure:
      `last seen written by inventory: ${fleet.length} devices × ${rounds}, 2 000 a message, ` +
      `${DEVICES} endpoints` +
      (status ? `, with status ${status}` : ''),
    rate: (fleet.length * rounds) / seconds,
    unit: 'devices/s',
    p50: pct(latencies, 50),
    p99: pct(latencies, 99),
    note: 'p50/p99: one message (one bulk write)',
  });
}

/**
 * Waits until the warm pass's last-seen times are in inventory, so the
 * check-in runs do not measure that backlog; reports how long it took.
 */
async function lastSeenLanded(
  rpc: NatsRpcClient,
  fleet: EnrollReply[],
  since: string,
): Promise<void> {
  const started = performance.now();
  const last = fleet[fleet.length - 1]!;
  const credentials = await rpc.request(inventoryRpc.deviceCredentials, {
    caller: BENCH,
    deviceId: last.deviceId,
  });
  const admin: Caller = {
    actor: { type: 'admin', id: randomUUID() },
    consoleId: credentials.consoleId,
  };
  for (;;) {
    const endpoint = await rpc.request(inventoryRpc.getEndpoint, {
      caller: admin,
      endpointId: last.deviceId,
    });
    if (endpoint.lastSeenAt >= since) break;
    if (performance.now() - started > 300_000) throw new Error('last seen never landed');
    await new Promise((done) => setTimeout(done, 250));
  }
  const seconds = (performance.now() - started) / 1000;
  rows.push({
    measure: `first check-in of ${fleet.length} devices: last seen in inventory after the pass`,
    rate: seconds,
    unit: 's',
    note: 'after the warm pass: the batches still queued when it ended',
  });
}

/** What a quiet agent sends: its current policy's tag, nothing found. */
function checkinBody(device: EnrollReply): string {
  const body: CheckinBody = { policyVersion: device.policyVersion, status: 'ok', detections: [] };
  return JSON.stringify(body);
}

/** Every device checks in once (64 at once), so the gateway's directory holds them all. */
async function checkinsOnce(gatewayUrl: string, fleet: EnrollReply[]): Promise<void> {
  await concurrently(fleet.length, async (i) => {
    const device = fleet[i]!;
    const response = await fetch(`${gatewayUrl}/agent/v1/checkin`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${device.deviceToken}`,
      },
      body: checkinBody(device),
    });
    await response.arrayBuffer();
  });
}

/** Check-ins with autocannon, each request another device's token (round robin over the fleet). */
async function checkins(
  gatewayUrl: string,
  fleet: EnrollReply[],
  overallRate?: number,
): Promise<HttpFigures> {
  const bodies = fleet.map(checkinBody);
  const authorizations = fleet.map((device) => `Bearer ${device.deviceToken}`);
  let next = 0;
  const pid = pidByOrigin.get(new URL(gatewayUrl).origin);
  const cpuBefore = cpuTimeUs(pid);
  const loadBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const result = await autocannon({
    url: gatewayUrl,
    connections: CONNECTIONS,
    duration: DURATION_S,
    ...(overallRate === undefined ? {} : { overallRate }),
    requests: [
      {
        method: 'POST',
        path: '/agent/v1/checkin',
        setupRequest: (request) => {
          const i = next++ % fleet.length;
          return {
            ...request,
            headers: {
              'content-type': 'application/json',
              authorization: authorizations[i]!,
            },
            body: bodies[i]!,
          };
        },
      },
    ],
  });
  const load = process.cpuUsage(loadBefore);
  const clientShare = (load.user + load.system) / 1000 / (performance.now() - wallBefore);
  return { ...figuresOf(result, pid, cpuBefore), clientShare };
}

async function http(url: string, headers: Record<string, string> = {}): Promise<HttpFigures> {
  const pid = pidByOrigin.get(new URL(url).origin);
  const cpuBefore = cpuTimeUs(pid);
  const result = await autocannon({ url, headers, connections: CONNECTIONS, duration: DURATION_S });
  return figuresOf(result, pid, cpuBefore);
}

function figuresOf(result: autocannon.Result, pid?: number, cpuBefore?: number): HttpFigures {
  const cpuAfter = cpuTimeUs(pid);
  const requests = result.requests.total;
  return {
    rate: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx + result.timeouts,
    ...(cpuBefore !== undefined && cpuAfter !== undefined && requests > 0
      ? { cpuPerRequestUs: (cpuAfter - cpuBefore) / requests }
      : {}),
  };
}

function record(measure: string, figures: HttpFigures, ceiling?: HttpFigures, note?: string) {
  const row: Row = {
    measure,
    rate: figures.rate,
    unit: 'req/s',
    p50: figures.p50,
    p99: figures.p99,
    errors: figures.errors,
    ...(ceiling ? { ratio: figures.rate / ceiling.rate } : {}),
    ...(figures.cpuPerRequestUs === undefined ? {} : { cpuPerRequestUs: figures.cpuPerRequestUs }),
    ...(note || figures.clientShare !== undefined
      ? {
          note: [
            note,
            figures.clientShare === undefined
              ? undefined
              : `load generator ${Math.round(figures.clientShare * 100)} % of a core`,
          ]
            .filter(Boolean)
            .join('; '),
        }
      : {}),
  };
  rows.push(row);
  line(`  ${measure}: ${fmt(row.rate)} ${row.unit}`);
}

function printTable(): void {
  const header = ['measure', 'rate', 'p50', 'p99', 'errors', '× ceiling', 'CPU/req', 'note'];
  const cells = rows.map((row) => [
    row.measure,
    `${fmt(row.rate)} ${row.unit}`,
    row.p50 === undefined ? '' : ms(row.p50),
    row.p99 === undefined ? '' : ms(row.p99),
    row.errors === undefined ? '' : String(row.errors),
    row.ratio === undefined ? '' : row.ratio.toFixed(3),
    row.cpuPerRequestUs === undefined ? '' : `${Math.round(row.cpuPerRequestUs)} µs`,
    row.note ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const format = (cols: string[]) =>
    `| ${cols.map((c, i) => (i === 0 || i === 7 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  line('');
  line(format(header));
  line(
    `|${widths.map((w, i) => (i === 0 || i === 7 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
  );
  for (const row of cells) line(format(row));
  line('');
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
  nodeOptions: string[] = [],
): Promise<string> {
  const child = spawn(process.execPath, [...nodeOptions, entry], {
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
      if (match) {
        if (child.pid !== undefined) pidByOrigin.set(new URL(match[1]!).origin, child.pid);
        done(match[1]!);
      }
    });
    child.once('exit', (code) => fail(new Error(`${entry} exited with ${code}`)));
  });
}

/** SIGTERM, and the child's own clean exit (a CPU profile is written then). */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(kill);
      done();
    });
    child.kill('SIGTERM');
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  children.forEach((child) => child.kill('SIGKILL'));
  process.exit(1);
});
