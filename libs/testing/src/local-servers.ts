import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { join, resolve } from 'node:path';

/** Where the three servers answer. */
export interface ServerUrls {
  mongodbUri: string;
  natsUrl: string;
  redisUrl: string;
}

export interface RunningServers extends ServerUrls {
  /** Stops what this launcher started (never servers it was pointed at). */
  stop(): Promise<void>;
}

export interface LocalServerOptions {
  /** Data files go here (and logs, unless `logDir` says otherwise). */
  dataDir: string;
  /** Where each server writes `<name>.log`; defaults to `dataDir`. */
  logDir?: string;
  /**
   * The local MongoDB-wire server's storage: `memory` (tests: fast, gone on
   * stop) or `h2` (dev: one file under `dataDir/mongo`, kept across restarts).
   */
  mongoBackend?: 'memory' | 'h2';
  /** Fixed ports (dev) or `free` to pick unused ones (tests). */
  ports: 'free' | { mongodb: number; nats: number; redis: number };
  /** Use these instead of starting a server (how a user points at real MongoDB). */
  external?: Partial<ServerUrls>;
  /** Keep Redis data on disk between runs (dev) or not (tests). */
  persistRedis?: boolean;
}

export class ServerStartError extends Error {
  override name = 'ServerStartError';
}

const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;
/** Bounded so a runaway test cannot take the machine; the tests' data is far smaller. */
const MONGO_WIRE_HEAP = '1g';

/** The mongo-java-server launcher that scripts/provision.sh builds from tools/mongo-wire. */
export function mongoWireJar(repoRoot = findRepoRoot()): string {
  return join(repoRoot, '.cache', 'bin', 'mongo-wire.jar');
}

export function findRepoRoot(from = __dirname): string {
  let dir = resolve(from);
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = resolve(dir, '..');
    if (parent === dir) throw new Error(`no nx.json above ${from}`);
    dir = parent;
  }
  return dir;
}

/**
 * Starts nats-server, redis-server and the MongoDB-wire server on loopback and waits until
 * each answers. A server that cannot start fails the whole call with its log
 * tail, and whatever had already started is stopped again.
 */
export async function startLocalServers(options: LocalServerOptions): Promise<RunningServers> {
  mkdirSync(options.dataDir, { recursive: true });
  const logDir = options.logDir ?? options.dataDir;
  mkdirSync(logDir, { recursive: true });
  const started: ManagedProcess[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.all(started.map((p) => p.stop()));
  };
  try {
    const ports = options.ports === 'free' ? await freePortSet() : options.ports;

    // JetStream on: domain events are published and consumed durably (docs/adr/0005).
    const natsDir = join(options.dataDir, 'nats');
    mkdirSync(natsDir, { recursive: true });
    const natsUrl =
      options.external?.natsUrl ??
      (await launch(started, {
        name: 'nats-server',
        command: requireBinary('nats-server', ['/usr/sbin/nats-server', '/usr/bin/nats-server']),
        args: [
          '-a',
          '127.0.0.1',
          '-p',
          String(ports.nats),
          '--no_advertise',
          '-js',
          '-sd',
          natsDir,
        ],
        logDir,
        url: `nats://127.0.0.1:${ports.nats}`,
        ready: () => expectReply(ports.nats, null, 'INFO'),
      }));

    const redisDir = join(options.dataDir, 'redis');
    mkdirSync(redisDir, { recursive: true });
    const redisUrl =
      options.external?.redisUrl ??
      (await launch(started, {
        name: 'redis-server',
        command: requireBinary('redis-server', ['/usr/bin/redis-server']),
        args: [
          '--bind',
          '127.0.0.1',
          '--port',
          String(ports.redis),
          '--dir',
          redisDir,
          '--save',
          '',
          '--appendonly',
          options.persistRedis ? 'yes' : 'no',
          '--daemonize',
          'no',
          // BullMQ's jobs must never be evicted to make room.
          '--maxmemory-policy',
          'noeviction',
        ],
        logDir,
        url: `redis://127.0.0.1:${ports.redis}`,
        ready: () => expectReply(ports.redis, 'PING\r\n', '+PONG'),
      }));

    const mongodbUri =
      options.external?.mongodbUri ??
      (await launch(
        started,
        mongoWireSpec({
          port: ports.mongodb,
          backend: options.mongoBackend ?? 'memory',
          dataDir: options.dataDir,
          logDir,
        }),
      ));

    return { mongodbUri, natsUrl, redisUrl, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

export interface MongoWireOptions {
  port: number;
  backend: 'memory' | 'h2';
  /** The H2 file lives in `dataDir/mongo/`. */
  dataDir: string;
  logDir: string;
}

/** One local MongoDB-wire server on its own, with a handle to stop or kill it. */
export async function startMongoWire(
  options: MongoWireOptions,
): Promise<{ uri: string } & ManagedProcess> {
  const started: ManagedProcess[] = [];
  const uri = await launch(started, mongoWireSpec(options));
  return { uri, ...started[0]! };
}

function mongoWireSpec(options: MongoWireOptions): LaunchSpec {
  return {
    name: 'mongo-wire',
    command: requireBinary('java', ['/usr/bin/java']),
    args: [
      `-Xmx${MONGO_WIRE_HEAP}`,
      '-XX:+ExitOnOutOfMemoryError',
      '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
      // A client that goes away (a service stopping) is logged as an error
      // with a stack trace; the client sees any real protocol error itself.
      '-Dorg.slf4j.simpleLogger.log.de.bwaldvogel.mongo.wire.MongoExceptionHandler=off',
      '-jar',
      requireBuilt(mongoWireJar()),
      '--listen',
      `127.0.0.1:${options.port}`,
      '--backend',
      options.backend,
      ...(options.backend === 'h2'
        ? ['--file', join(options.dataDir, 'mongo', 'warden.mv.db')]
        : []),
    ],
    logDir: options.logDir,
    url: `mongodb://127.0.0.1:${options.port}`,
    ready: () => expectReply(options.port, null, null),
  };
}

interface LaunchSpec {
  name: string;
  command: string;
  args: string[];
  logDir: string;
  url: string;
  ready: () => Promise<boolean>;
}

interface ManagedProcess {
  /** SIGTERM, then SIGKILL if it has not exited within the stop timeout. */
  stop(): Promise<void>;
  /** SIGKILL at once, as a crash or an OOM killer would; resolves once it has exited. */
  kill(): Promise<void>;
}

async function launch(started: ManagedProcess[], spec: LaunchSpec): Promise<string> {
  const logPath = join(spec.logDir, `${spec.name}.log`);
  const log = openSync(logPath, 'a');
  const child = spawn(spec.command, spec.args, { stdio: ['ignore', log, log] });
  started.push(managed(child));
  // A crashed test runner must not leave servers behind.
  process.once('exit', () => child.kill('SIGKILL'));

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new ServerStartError(`${spec.name} exited during start-up:\n${tail(logPath)}`);
    }
    if (await spec.ready()) return spec.url;
    await sleep(50);
  }
  throw new ServerStartError(
    `${spec.name} did not answer within ${READY_TIMEOUT_MS / 1000}s:\n${tail(logPath)}`,
  );
}

function managed(child: ChildProcess): ManagedProcess {
  const exited = new Promise<void>((done) => {
    if (child.exitCode !== null) done();
    else child.once('exit', () => done());
  });
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  return {
    async stop() {
      if (!running()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      if (running()) child.kill('SIGKILL');
      await exited;
    },
  };
}

function requireBinary(name: string, candidates: string[]): string {
  const pathDirs = (process.env['PATH'] ?? '').split(':').map((dir) => join(dir, name));
  const found = [...pathDirs, ...candidates].find((path) => existsSync(path));
  if (!found) {
    throw new ServerStartError(
      `${name} is not installed. Run \`bash scripts/provision.sh\` (installs it with apt), ` +
        'or set MONGODB_URI / NATS_URL / REDIS_URL to servers you run yourself.',
    );
  }
  return found;
}

function requireBuilt(path: string): string {
  if (!existsSync(path)) {
    throw new ServerStartError(
      `${path} is missing. Run \`bash scripts/provision.sh\` (builds it from tools/mongo-wire), ` +
        'or set MONGODB_URI to a MongoDB server.',
    );
  }
  return path;
}

function tail(path: string, lines = 20): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

async function freePortSet(): Promise<{ mongodb: number; nats: number; redis: number }> {
  const [mongodb, nats, redis] = await freePorts(3);
  return { mongodb: mongodb!, nats: nats!, redis: redis! };
}

/** Ports the kernel reports free now; the servers bind them right after. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((done, fail) => {
          const server = createServer();
          server.once('error', fail);
          server.listen(0, '127.0.0.1', () => done(server));
        }),
    ),
  );
  const ports = servers.map((server) => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    return address.port;
  });
  await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  return ports;
}

/**
 * Connects, optionally writes, and resolves true once the reply starts with
 * `prefix` (or at once on connect when `prefix` is null).
 */
function expectReply(port: number, send: string | null, prefix: string | null): Promise<boolean> {
  return new Promise((done) => {
    const socket = new Socket();
    let received = '';
    const finish = (ok: boolean): void => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(1_000, () => finish(false));
    socket.once('error', () => finish(false));
    socket.connect(port, '127.0.0.1', () => {
      if (prefix === null) return finish(true);
      if (send !== null) socket.write(send);
    });
    socket.on('data', (chunk) => {
      received += chunk.toString('utf8');
      if (prefix !== null && received.length >= prefix.length) finish(received.startsWith(prefix));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
