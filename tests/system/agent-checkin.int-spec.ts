import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  type AgentDetection,
  BUILTIN_POLICY_IDS,
  type Caller,
  type CheckinReply,
  type EndpointDetail,
  type EnrollReply,
  inventoryRpc,
  type PolicyDetail,
} from '@warden/contracts';
import { NatsRpcClient } from '@warden/platform';
import { testServers } from '@warden/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { type Call, consoleApi, consoleStack, type Reply } from './console-client';
import { startGateway } from './system-under-test';

/*
 * The agent API through the gateway (issue 11, DESIGN §7, ADR 0011), over
 * the real licensing, policy and inventory services: enrolment, check-ins
 * answered from the gateway's memory and kept fresh by events, detections,
 * the device token, the per-device limit, and last-seen written in batches.
 */

const TOKEN = `agent-operator-token-${randomUUID()}`;

describe('the agent API', () => {
  const { client } = consoleStack(TOKEN, {
    // Tests below check in many times a second while they wait for a change.
    AGENT_DEVICE_BURST: '100000',
    AGENT_LAST_SEEN_FLUSH_MS: '100',
  });
  const { call } = client;
  let rpc: NatsRpcClient;

  beforeAll(async () => {
    rpc = await NatsRpcClient.connect({
      url: testServers().natsUrl,
      name: 'agent-test',
      timeoutMs: 10_000,
    });
  });
  afterAll(async () => {
    await rpc?.close();
  });

  /** A console whose super admin has signed in: its site, keycode and an RPC caller of it. */
  const owner = async () => {
    const { account, ...site } = await client.signedInConsole();
    const admin: Caller = {
      actor: { type: 'admin', id: account.administratorId },
      consoleId: account.consoleId,
    };
    return { ...site, admin };
  };

  const enroll = (keycode: string, hardwareKey = `hw-${randomUUID()}`, api: Call = call) =>
    api<EnrollReply>('POST', '/agent/v1/enroll', {
      body: {
        keycode,
        hardwareKey,
        hostname: `PC-${hardwareKey.slice(3, 11)}`,
        os: { family: 'windows', version: '11 23H2' },
        agentVersion: '5.0.0',
      },
    });
  const checkin = (
    deviceToken: string,
    body: Record<string, unknown> = {},
    api: Call = call,
  ): Promise<Reply<CheckinReply>> =>
    api<CheckinReply>('POST', '/agent/v1/checkin', {
      token: deviceToken,
      body: { policyVersion: null, status: 'ok', detections: [], ...body },
    });
  const endpoint = (admin: Caller, endpointId: string): Promise<EndpointDetail> =>
    rpc.request(inventoryRpc.getEndpoint, { caller: admin, endpointId });

  /** Asks until `done` holds (a bounded wait on a condition, never a fixed sleep). */
  async function until<T>(ask: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const value = await ask();
      if (done(value)) return value;
      if (Date.now() > deadline) throw new Error(`condition not met: ${JSON.stringify(value)}`);
      await new Promise((tick) => setImmediate(tick));
    }
  }

  it('enrols a device and answers its check-ins: the policy only when its version is not the current one', async () => {
    const { keycode } = await owner();

    const enrolled = await enroll(keycode);

    expect(enrolled.status).toBe(200);
    expect(enrolled.body.deviceToken.startsWith(`${enrolled.body.deviceId}.`)).toBe(true);
    expect(enrolled.body).toMatchObject({
      pollSeconds: 15 * 60,
      policy: { policyId: BUILTIN_POLICY_IDS.recommended_defaults, unmanaged: false },
    });
    expect(enrolled.body.policyVersion).toBe(enrolled.body.policy.versionTag);

    const current = await checkin(enrolled.body.deviceToken, {
      policyVersion: enrolled.body.policyVersion,
    });
    expect(current.status).toBe(200);
    expect(Object.keys(current.body).sort()).toEqual(['commands', 'nextCheckinSeconds']);
    expect(current.body.commands).toEqual([]);
    // 15 minutes ±10 %.
    expect(current.body.nextCheckinSeconds).toBeGreaterThanOrEqual(810);
    expect(current.body.nextCheckinSeconds).toBeLessThanOrEqual(990);

    const stale = await checkin(enrolled.body.deviceToken, { policyVersion: 'an-old-one' });
    expect(stale.body.policy).toEqual(enrolled.body.policy);
    const none = await checkin(enrolled.body.deviceToken, { policyVersion: null });
    expect(none.body.policy?.versionTag).toBe(enrolled.body.policyVersion);
  });

  it('gives the new version at the next check-in once an administrator edited the policy (event, not TTL)', async () => {
    const { token, siteId, keycode } = await owner();
    const copied = await call<PolicyDetail>('POST', '/api/v1/policies', {
      token,
      headers: { 'idempotency-key': randomUUID() },
      body: {
        sourcePolicyId: BUILTIN_POLICY_IDS.recommended_defaults,
        name: 'Sales laptops',
        description: 'Laptops of the sales team',
      },
    });
    expect(copied.status).toBe(201);
    const madeDefault = await call('PATCH', `/api/v1/sites/${siteId}`, {
      token,
      body: { defaultPolicyId: copied.body.id },
    });
    expect(madeDefault.status).toBe(200);
    const { body: device } = await enroll(keycode);
    expect(device.policy.policyId).toBe(copied.body.id);
    const first = await checkin(device.deviceToken, { policyVersion: device.policyVersion });
    expect(first.body.policy).toBeUndefined();

    const edited = await call<PolicyDetail>('PATCH', `/api/v1/policies/${copied.body.id}`, {
      token,
      headers: { 'if-match': `"${copied.body.version}"` },
      body: { settings: { basic: { poll_interval: '1h' } } },
    });
    expect(edited.status).toBe(200);

    const changed = await until(
      () => checkin(device.deviceToken, { policyVersion: device.policyVersion }),
      (reply) => reply.body.policy !== undefined,
    );
    expect(changed.body.policy).toMatchObject({
      policyId: copied.body.id,
      version: edited.body.version,
      versionTag: edited.body.versionTag,
      settings: { basic: { poll_interval: '1h' } },
    });
    expect(changed.body.nextCheckinSeconds).toBeGreaterThanOrEqual(3240);
    const settled = await checkin(device.deviceToken, { policyVersion: edited.body.versionTag });
    expect(settled.body.policy).toBeUndefined();
  });

  it('gives a device its own policy once an administrator set one (inventory’s devices-changed event)', async () => {
    const { siteId, keycode, admin } = await owner();
    const { body: device } = await enroll(keycode);
    await checkin(device.deviceToken, { policyVersion: device.policyVersion });

    await rpc.request(inventoryRpc.setEndpointPolicy, {
      caller: admin,
      siteId,
      endpointId: device.deviceId,
      policyId: BUILTIN_POLICY_IDS.silent_audit,
    });

    const changed = await until(
      () => checkin(device.deviceToken, { policyVersion: device.policyVersion }),
      (reply) => reply.body.policy?.policyId === BUILTIN_POLICY_IDS.silent_audit,
    );
    expect(changed.body.policy?.versionTag).not.toBe(device.policyVersion);
  });

  it('enrols the same device again with a new token: the old one is refused at once', async () => {
    const { keycode } = await owner();
    const hardwareKey = `hw-${randomUUID()}`;
    const { body: first } = await enroll(keycode, hardwareKey);
    expect((await checkin(first.deviceToken)).status).toBe(200);

    const { body: again } = await enroll(keycode, hardwareKey);

    expect(again.deviceId).toBe(first.deviceId);
    expect(again.deviceToken).not.toBe(first.deviceToken);
    const old = await checkin(first.deviceToken);
    expect(old.status).toBe(401);
    expect(old.body.error?.code).toBe('DEVICE_TOKEN_INVALID');
    expect((await checkin(again.deviceToken)).status).toBe(200);
  });

  it('refuses enrolment with an unknown keycode, and past the seats of a hard limit', async () => {
    const { keycode } = await owner();

    const unknown = await enroll('AAAA-BBBB-CCCC-DDDD-EEEE');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error?.code).toBe('KEYCODE_INVALID');

    // A console opened by the tests' client has 5 seats.
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => enroll(keycode)));
    expect(outcomes.filter((o) => o.status === 200)).toHaveLength(5);
    expect(outcomes.filter((o) => o.status !== 200).map((o) => o.body.error?.code)).toEqual([
      'SEAT_LIMIT_REACHED',
    ]);
  });

  it('refuses malformed, unknown and wrong device tokens with 401 DEVICE_TOKEN_INVALID', async () => {
    const { keycode } = await owner();
    const { body: device } = await enroll(keycode);
    const secret = () => randomBytes(32).toString('base64url');

    for (const presented of [
      undefined,
      'not-a-token',
      device.deviceId,
      `${device.deviceId}.`,
      `${device.deviceId}.${secret().slice(1)}`,
      `${randomUUID()}.${secret()}`,
      `${device.deviceId}.${secret()}`,
    ]) {
      const reply = await call('POST', '/agent/v1/checkin', {
        ...(presented === undefined ? {} : { token: presented }),
        body: { policyVersion: null, status: 'ok' },
      });
      expect([presented, reply.status, reply.body.error?.code]).toEqual([
        presented,
        401,
        'DEVICE_TOKEN_INVALID',
      ]);
    }
  });

  it('records the detections of a check-in once, however often it is sent', async () => {
    const { keycode, admin } = await owner();
    const { body: device } = await enroll(keycode);
    const detection = (id: string, actionTaken: AgentDetection['actionTaken']): AgentDetection => ({
      id,
      threatName: 'EICAR-Test-File',
      path: 'C:\\Users\\sales\\Downloads\\eicar.com',
      hash: '44d88612fea8a8f36de82e1278abb02f',
      actionTaken,
      detectedAt: new Date().toISOString(),
    });
    const detections = [detection('d-1', 'quarantined'), detection('d-2', 'detected')];

    const first = await checkin(device.deviceToken, { status: 'threats_active', detections });
    const again = await checkin(device.deviceToken, { status: 'threats_active', detections });

    expect([first.status, again.status]).toEqual([200, 200]);
    const stored = await endpoint(admin, device.deviceId);
    expect(stored.detections.map((d) => d.agentDetectionId).sort()).toEqual(['d-1', 'd-2']);
    expect(stored.status).toBe('infected');
    expect(stored.infectedSince).not.toBeNull();

    // Remediated: the next "ok" (later than the detection) clears it once the batch is written.
    await checkin(device.deviceToken, { status: 'ok' });
    const cleared = await until(
      () => endpoint(admin, device.deviceId),
      (e) => e.infectedSince === null,
    );
    expect(cleared.status).toBe('protected');
  });

  it('writes last seen to inventory in a batch, soon after the check-in', async () => {
    const { keycode, admin } = await owner();
    const { body: device } = await enroll(keycode);
    const before = await endpoint(admin, device.deviceId);

    const sent = new Date().toISOString();
    await checkin(device.deviceToken, { agentVersion: '5.0.1' });

    const seen = await until(
      () => endpoint(admin, device.deviceId),
      (e) => e.lastSeenAt >= sent,
    );
    expect(seen.lastSeenAt > before.lastSeenAt).toBe(true);
    expect(seen.agentVersion).toBe('5.0.1');
  });

  describe('a gateway copy of its own', () => {
    let gateway: { app: NestFastifyApplication; url: string } | undefined;
    // Passport keeps strategies by name, process-wide: the last gateway built here
    // checks operator tokens for every one, so each must know the tests' token.
    const ownGateway = (env: Record<string, string>) =>
      startGateway({ OPS_API_TOKENS: TOKEN, ...env });
    afterEach(async () => {
      await gateway?.app.close();
      gateway = undefined;
    });

    it('refuses a device past its bucket with 429 and a Retry-After', async () => {
      gateway = await ownGateway({ AGENT_DEVICE_BURST: '3', AGENT_DEVICE_PER_MINUTE: '1' });
      const own = consoleApi(() => gateway!.url);
      const { keycode } = await owner();
      const { body: device } = await enroll(keycode, undefined, own);

      const replies: Reply<CheckinReply>[] = [];
      for (let i = 0; i < 4; i++) replies.push(await checkin(device.deviceToken, {}, own));

      expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 429]);
      expect(replies[3]!.body.error?.code).toBe('RATE_LIMITED');
      expect(Number(replies[3]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(60);
      // Another device is not affected.
      const { body: other } = await enroll(keycode, undefined, own);
      expect((await checkin(other.deviceToken, {}, own)).status).toBe(200);
    });

    it('refuses an address that makes it look up too many devices it does not hold, with 429', async () => {
      gateway = await ownGateway({ AGENT_LOOKUPS_PER_IP_PER_MINUTE: '3' });
      const own = consoleApi(() => gateway!.url);
      const madeUp = () => `${randomUUID()}.${'A'.repeat(43)}`;

      const replies: Reply<CheckinReply>[] = [];
      for (let i = 0; i < 4; i++) replies.push(await checkin(madeUp(), {}, own));

      expect(replies.map((r) => r.status)).toEqual([401, 401, 401, 429]);
      expect(replies[3]!.body.error?.code).toBe('RATE_LIMITED');
      expect(Number(replies[3]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(20);
    });

    it('clears an infection reported through another copy when the device reports "ok" here', async () => {
      gateway = await ownGateway({});
      const own = consoleApi(() => gateway!.url);
      const { keycode, admin } = await owner();
      const { body: device } = await enroll(keycode);
      // This copy now holds the device as "ok"...
      expect((await checkin(device.deviceToken, { status: 'ok' })).status).toBe(200);
      // ...when the threat is reported through the other one.
      const threat: AgentDetection = {
        id: 'other-copy-1',
        threatName: 'EICAR-Test-File',
        path: '/home/sales/eicar.com',
        hash: '44d88612fea8a8f36de82e1278abb02f',
        actionTaken: 'detected',
        detectedAt: new Date().toISOString(),
      };
      await checkin(device.deviceToken, { status: 'threats_active', detections: [threat] }, own);
      expect((await endpoint(admin, device.deviceId)).status).toBe('infected');

      // Inventory's devices-changed event tells this copy: its next "ok" is passed on.
      const cleared = await until(
        async () => {
          await checkin(device.deviceToken, { status: 'ok' });
          return endpoint(admin, device.deviceId);
        },
        (e) => e.infectedSince === null,
      );
      expect(cleared.status).toBe('protected');
    });

    it('writes the last-seen times it holds when it stops', async () => {
      // A batch would otherwise wait a minute.
      gateway = await ownGateway({ AGENT_LAST_SEEN_FLUSH_MS: '60000' });
      const own = consoleApi(() => gateway!.url);
      const { keycode, admin } = await owner();
      const { body: device } = await enroll(keycode, undefined, own);
      const sent = new Date().toISOString();
      expect((await checkin(device.deviceToken, {}, own)).status).toBe(200);
      expect((await endpoint(admin, device.deviceId)).lastSeenAt < sent).toBe(true);

      await gateway.app.close();
      gateway = undefined;

      expect((await endpoint(admin, device.deviceId)).lastSeenAt >= sent).toBe(true);
    });
  });
});
