import type { AgentDetection, AgentPolicy, CheckinBody, EnrollBody } from '@warden/contracts';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from './agent';
import { AgentCallError, AgentHttpClient } from './agent-http';
import { detectionsFileIn } from './detections';
import { DeviceTokenRefused, runCheckins, Sleeper, withRetries } from './scheduler';
import { FileStateStore } from './state-store';

/*
 * The agent against a scripted HTTP server on loopback: what it sends, what
 * it keeps, and how long it waits after each kind of answer.
 */

interface Scripted {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

interface Received {
  path: string;
  authorization: string | undefined;
  body: unknown;
}

class ScriptedGateway {
  readonly received: Received[] = [];
  private readonly script: Scripted[] = [];
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      void readBody(request).then((body) => {
        this.received.push({
          path: request.url ?? '',
          authorization: request.headers.authorization,
          body,
        });
        const next = this.script.shift() ?? { status: 500, body: { error: { code: 'INTERNAL' } } };
        response.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
        response.end(JSON.stringify(next.body));
      });
    });
    await new Promise<void>((done) => this.server.listen(0, '127.0.0.1', done));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  reply(...answers: Scripted[]): void {
    this.script.push(...answers);
  }

  stop(): Promise<void> {
    return new Promise((done) => this.server.close(() => done()));
  }
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
}

/** A sleeper that records each wait and returns at once. */
class RecordingSleeper extends Sleeper {
  readonly waits: { ms: number; wakeable: boolean }[] = [];
  override sleep(ms: number, wakeable = false): Promise<void> {
    this.waits.push({ ms, wakeable });
    return Promise.resolve();
  }
}

const policy = (version: number): AgentPolicy => ({
  policyId: '5f0c3c1e-0000-4000-8000-000000000001',
  version,
  versionTag: `rd.${version}`,
  unmanaged: false,
  settings: {} as AgentPolicy['settings'],
});
const DEVICE_ID = '0b7c2a8e-4d0e-4e8e-9a43-5a1d2c3b4e5f';
const enrolled = (token: string) => ({
  status: 200,
  body: {
    deviceId: DEVICE_ID,
    deviceToken: `${DEVICE_ID}.${token}`,
    pollSeconds: 60,
    policy: policy(1),
    policyVersion: 'rd.1',
  },
});
const checkedIn = (extra: Record<string, unknown> = {}) => ({
  status: 200,
  body: { nextCheckinSeconds: 57, commands: [], ...extra },
});
const refusedWith = (status: number, code: string, headers?: Record<string, string>) => ({
  status,
  body: { error: { code, message: code.toLowerCase(), requestId: 'req-1' } },
  headers,
});
const detection = (id: string, actionTaken: AgentDetection['actionTaken']): AgentDetection => ({
  id,
  threatName: 'EICAR-Test-File',
  path: `/home/hanako/${id}`,
  hash: '44d88612fea8a8f36de82e1278abb02f',
  actionTaken,
  detectedAt: '2026-12-02T09:00:00Z',
});
const acked = (commandId: string, recorded = true) => ({
  status: 200,
  body: {
    commandId,
    state: 'succeeded',
    recorded,
    reason: recorded ? null : 'already_acknowledged',
  },
});
const input = { keycode: 'K', hostname: 'pc-01', os: { family: 'linux' as const, version: '12' } };

describe('the reference agent', () => {
  const gateway = new ScriptedGateway();
  let http: AgentHttpClient;
  let dir: string;
  let store: FileStateStore;
  let sut: Agent;

  beforeAll(() => gateway.start());
  afterAll(() => gateway.stop());
  beforeEach(() => {
    gateway.received.length = 0;
    http = new AgentHttpClient(gateway.url);
    dir = mkdtempSync(join(tmpdir(), 'warden-agent-'));
    store = new FileStateStore(dir);
    sut = new Agent(http, store, detectionsFileIn(dir));
  });
  afterEach(() => http.close());

  it('enrols with its kept hardware key, again as the same device, and uses the newest token', async () => {
    gateway.reply(enrolled('first'), enrolled('second'), checkedIn());
    await sut.enroll(input);
    await new Agent(http, new FileStateStore(dir), detectionsFileIn(dir)).enroll(input);
    const again = new Agent(http, new FileStateStore(dir), detectionsFileIn(dir));
    await again.checkin();

    const [first, second, checkin] = gateway.received;
    expect(first!.path).toBe('/agent/v1/enroll');
    expect((first!.body as EnrollBody).hardwareKey).toBe(store.state.hardwareKey);
    expect((second!.body as EnrollBody).hardwareKey).toBe(store.state.hardwareKey);
    expect(checkin!.authorization).toBe(`Bearer ${DEVICE_ID}.second`);
    expect(checkin!.body).toEqual({ policyVersion: 'rd.1', status: 'ok', detections: [] });
  });

  it('sends new detections once, says threats_active while one is only detected, and ok once remediated', async () => {
    gateway.reply(enrolled('t'), checkedIn(), checkedIn(), checkedIn());
    await sut.enroll(input);
    writeFileSync(
      detectionsFileIn(dir),
      JSON.stringify([detection('a', 'quarantined'), detection('b', 'detected')]),
    );
    await sut.checkin();
    await sut.checkin();
    writeFileSync(
      detectionsFileIn(dir),
      JSON.stringify([detection('a', 'quarantined'), detection('b', 'removed')]),
    );
    await sut.checkin();

    const bodies = gateway.received.slice(1).map((r) => r.body as CheckinBody);
    expect(bodies[0]).toMatchObject({ status: 'threats_active' });
    expect(bodies[0]!.detections.map((d) => d.id)).toEqual(['a', 'b']);
    expect(bodies[1]).toMatchObject({ status: 'threats_active', detections: [] });
    expect(bodies[2]).toMatchObject({ status: 'ok', detections: [] });
    expect(new FileStateStore(dir).state.sentDetectionIds).toEqual(['a', 'b']);
  });

  it('does not take a half-written detections file for "no threats"', async () => {
    gateway.reply(enrolled('t'), checkedIn(), checkedIn());
    await sut.enroll(input);
    writeFileSync(detectionsFileIn(dir), JSON.stringify([detection('b', 'detected')]));
    await sut.checkin();
    writeFileSync(detectionsFileIn(dir), '[{"id": "b", "threatNa');
    await sut.checkin();
    expect((gateway.received[2]!.body as CheckinBody).status).toBe('threats_active');
  });

  it('sends a backlog in batches of 100 and asks to check in again at once', async () => {
    gateway.reply(enrolled('t'), checkedIn(), checkedIn());
    await sut.enroll(input);
    const many = Array.from({ length: 150 }, (_, i) => detection(`d-${i}`, 'blocked'));
    writeFileSync(detectionsFileIn(dir), JSON.stringify(many));
    const sleeper = new RecordingSleeper();
    await runCheckins(sut, { count: 2, sleeper });

    const sent = gateway.received.slice(1).map((r) => (r.body as CheckinBody).detections.length);
    expect(sent).toEqual([100, 50]);
    expect(sleeper.waits).toEqual([{ ms: 0, wakeable: true }]);
  });

  it('applies a policy that comes, sends its version from then on, and keeps each command once', async () => {
    const command = { id: '7d1f0000-0000-4000-8000-000000000009', type: 'scan', parameters: {} };
    gateway.reply(
      enrolled('t'),
      checkedIn({ policy: policy(2), commands: [command] }),
      acked(command.id),
      checkedIn({ commands: [command] }),
      acked(command.id, false),
    );
    await sut.enroll(input);
    await sut.checkin();
    await sut.checkin();

    expect((gateway.received[3]!.body as CheckinBody).policyVersion).toBe('rd.2');
    const kept = new FileStateStore(dir).state;
    expect(kept.policy).toEqual({
      policyId: policy(2).policyId,
      version: 2,
      versionTag: 'rd.2',
      settings: {},
    });
    expect(kept.commands).toHaveLength(1);
    expect(kept.commands[0]).toMatchObject(command);
  });

  it('waits the server’s schedule after a check-in, its Retry-After on overload, full jitter on faults', async () => {
    gateway.reply(
      enrolled('t'),
      refusedWith(500, 'INTERNAL'),
      refusedWith(502, 'UNKNOWN'),
      refusedWith(503, 'SERVICE_UNAVAILABLE', { 'retry-after': '7' }),
      refusedWith(429, 'RATE_LIMITED', { 'retry-after': '3' }),
      checkedIn(),
      checkedIn(),
    );
    await sut.enroll(input);
    const sleeper = new RecordingSleeper();
    const done = await runCheckins(sut, {
      count: 2,
      sleeper,
      random: () => 0.5,
      backoff: { baseMs: 1_000, capMs: 60_000 },
    });

    expect(done).toBe(2);
    expect(sleeper.waits).toEqual([
      { ms: 500, wakeable: false }, // first failure: half of 1 s
      { ms: 1_000, wakeable: false }, // second: half of 2 s
      { ms: 7_000, wakeable: false }, // the server's Retry-After, as given
      { ms: 3_000, wakeable: false },
      { ms: 57_000, wakeable: true }, // nextCheckinSeconds; a detections change may cut it short
    ]);
  });

  it('stops running with a clear message when its token is refused', async () => {
    gateway.reply(enrolled('t'), refusedWith(401, 'DEVICE_TOKEN_INVALID'));
    await sut.enroll(input);
    const stopped = await runCheckins(sut, { sleeper: new RecordingSleeper() }).catch(
      (e: unknown) => e,
    );
    expect(stopped).toBeInstanceOf(DeviceTokenRefused);
    expect((stopped as Error).message).toMatch(/Run `enroll` again/);
  });

  it('retries an enrolment through faults, but not a refusal a retry cannot fix', async () => {
    gateway.reply(refusedWith(503, 'SERVICE_UNAVAILABLE', { 'retry-after': '0' }), enrolled('t'));
    await withRetries(() => sut.enroll(input));
    expect(store.state.device?.deviceId).toBe(DEVICE_ID);

    gateway.reply(refusedWith(409, 'SEAT_LIMIT_REACHED'));
    const refusal = await withRetries(() => sut.enroll(input)).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(AgentCallError);
    expect(refusal).toMatchObject({ status: 409, code: 'SEAT_LIMIT_REACHED', retryable: false });
  });

  it('reports a connection that fails as NETWORK, worth a retry', async () => {
    const nowhere = new AgentHttpClient('http://127.0.0.1:9');
    const error = await nowhere
      .enroll({ ...input, hardwareKey: 'k'.repeat(16), agentVersion: '1' })
      .catch((e: unknown) => e);
    nowhere.close();
    expect(error).toMatchObject({ status: 0, code: 'NETWORK', retryable: true });
  });
});

describe('the reference agent’s commands', () => {
  const gateway = new ScriptedGateway();
  let http: AgentHttpClient;
  let dir: string;
  let sut: Agent;
  const commandId = (n: number) => `7d1f0000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const command = (n: number, type: string, parameters: Record<string, unknown> = {}) => ({
    id: commandId(n),
    type,
    parameters,
  });
  /** Each call the gateway received after the enrolment: path, token's secret, body. */
  const calls = () =>
    gateway.received.slice(1).map((r) => ({
      path: r.path,
      token: r.authorization?.split('.')[1],
      body: r.body,
    }));

  beforeAll(() => gateway.start());
  afterAll(() => gateway.stop());
  beforeEach(async () => {
    gateway.received.length = 0;
    http = new AgentHttpClient(gateway.url);
    dir = mkdtempSync(join(tmpdir(), 'warden-agent-'));
    sut = new Agent(http, new FileStateStore(dir), detectionsFileIn(dir), () => {}, {
      retry: { backoff: { baseMs: 1, capMs: 5 } },
    });
    gateway.reply(enrolled('old'));
    await sut.enroll(input);
  });
  afterEach(() => http.close());

  it('runs each command once and acknowledges each, a re-delivery again with the same outcome', async () => {
    gateway.reply(
      checkedIn({ commands: [command(1, 'scan', { kind: 'full' }), command(2, 'isolate')] }),
      acked(commandId(1)),
      acked(commandId(2)),
      checkedIn({ commands: [command(2, 'isolate'), command(3, 'self_destruct')] }),
      acked(commandId(2), false),
      acked(commandId(3)),
    );
    await sut.checkin();
    await sut.checkin();

    expect(calls().filter((c) => c.path.endsWith('/ack'))).toEqual([
      {
        path: `/agent/v1/commands/${commandId(1)}/ack`,
        token: 'old',
        body: { outcome: 'succeeded', message: 'full scan (simulated): no threats found' },
      },
      {
        path: `/agent/v1/commands/${commandId(2)}/ack`,
        token: 'old',
        body: {
          outcome: 'succeeded',
          message: 'isolated (simulated: the network is left as it is)',
        },
      },
      {
        path: `/agent/v1/commands/${commandId(2)}/ack`,
        token: 'old',
        body: {
          outcome: 'succeeded',
          message: 'isolated (simulated: the network is left as it is)',
        },
      },
      {
        path: `/agent/v1/commands/${commandId(3)}/ack`,
        token: 'old',
        body: { outcome: 'failed', message: 'this agent does not know self_destruct' },
      },
    ]);
    const kept = new FileStateStore(dir).state;
    expect(kept.isolated).toBe(true);
    expect(kept.commands.map((c) => [c.type, c.result?.outcome, c.ackedAt !== undefined])).toEqual([
      ['scan', 'succeeded', true],
      ['isolate', 'succeeded', true],
      ['self_destruct', 'failed', true],
    ]);
  });

  it('retries an acknowledgement until the server answers', async () => {
    gateway.reply(
      checkedIn({ commands: [command(1, 'restart')] }),
      refusedWith(503, 'SERVICE_UNAVAILABLE', { 'retry-after': '0' }),
      refusedWith(502, 'UNKNOWN'),
      acked(commandId(1)),
    );
    await sut.checkin();

    expect(calls().map((c) => c.path.split('/').pop())).toEqual(['checkin', 'ack', 'ack', 'ack']);
    expect(new FileStateStore(dir).state.commands[0]!.ackedAt).toBeDefined();
  });

  it('deactivate: acknowledges, removes its state folder, and stops running', async () => {
    gateway.reply(
      checkedIn({ commands: [command(1, 'deactivate'), command(2, 'scan')] }),
      acked(commandId(1)),
    );
    const done = await runCheckins(sut, { sleeper: new RecordingSleeper() });

    expect(done).toBe(1);
    expect(calls().map((c) => c.path.split('/').pop())).toEqual(['checkin', 'ack']);
    expect(existsSync(dir)).toBe(false);
  });

  it('change_keycode: enrols into the target as the same device, acknowledges with the old token, then switches', async () => {
    const moved = '1a2b3c4d-0000-4000-8000-00000000000a';
    gateway.reply(
      checkedIn({ commands: [command(1, 'change_keycode', { keycode: 'TARGET-KEY' })] }),
      {
        status: 200,
        body: { ...enrolled('new').body, deviceId: moved, deviceToken: `${moved}.new` },
      },
      acked(commandId(1)),
      checkedIn(),
    );
    const hardwareKey = new FileStateStore(dir).state.hardwareKey;
    await sut.checkin();
    await sut.checkin();

    const [, enrol, ack, next] = calls();
    expect(enrol).toMatchObject({
      path: '/agent/v1/enroll',
      body: { keycode: 'TARGET-KEY', hardwareKey, hostname: 'pc-01' },
    });
    expect(ack).toMatchObject({
      token: 'old',
      body: { outcome: 'succeeded', message: `enrolled as device ${moved}` },
    });
    expect(next).toMatchObject({ path: '/agent/v1/checkin', token: 'new' });
    expect(new FileStateStore(dir).state.device?.deviceId).toBe(moved);
  });

  it('change_keycode refused: acknowledges failed with the code and stays where it was', async () => {
    gateway.reply(
      checkedIn({ commands: [command(1, 'change_keycode', { keycode: 'FULL-SITE' })] }),
      refusedWith(409, 'SEAT_LIMIT_REACHED'),
      acked(commandId(1)),
      checkedIn(),
    );
    await sut.checkin();
    await sut.checkin();

    const [, , ack, next] = calls();
    expect(ack!.body).toEqual({ outcome: 'failed', message: 'SEAT_LIMIT_REACHED' });
    expect(next).toMatchObject({ path: '/agent/v1/checkin', token: 'old' });
    expect(new FileStateStore(dir).state.device?.deviceId).toBe(DEVICE_ID);
  });

  it('refresh_config: checks in again at once without a policy version, applies it, acknowledges', async () => {
    gateway.reply(
      checkedIn({ commands: [command(1, 'refresh_config')] }),
      checkedIn({ policy: policy(3) }),
      acked(commandId(1)),
    );
    await sut.checkin();

    const [first, again, ack] = calls();
    expect((first!.body as CheckinBody).policyVersion).toBe('rd.1');
    expect(again).toMatchObject({ path: '/agent/v1/checkin', body: { policyVersion: null } });
    expect(ack!.body).toMatchObject({ outcome: 'succeeded' });
    expect(new FileStateStore(dir).state.policyVersion).toBe('rd.3');
  });
});

describe('the sleeper', () => {
  it('ends at once on stop, and a wake ends only a wakeable sleep', async () => {
    const stop = new AbortController();
    const sut = new Sleeper(stop.signal);
    const started = Date.now();
    const long = sut.sleep(60_000);
    sut.wake(); // not wakeable: keeps sleeping, but the wake waits for the next wakeable sleep
    stop.abort();
    await long;
    expect(Date.now() - started).toBeLessThan(1_000);

    const awake = new Sleeper();
    const scheduled = awake.sleep(60_000, true);
    awake.wake();
    await scheduled;
    awake.wake();
    await awake.sleep(60_000, true); // the earlier wake ends this one at once
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
