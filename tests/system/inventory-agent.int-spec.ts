import {
  type AgentDetection,
  BUILTIN_POLICY_IDS,
  inventoryEvents,
  inventoryRpc,
  licensingRpc,
} from '@warden/contracts';
import { createHash, randomUUID } from 'node:crypto';
import { agentPath, codeOf, inventorySystem, operator } from './inventory-harness';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const secretOf = (token: string) => token.slice(token.indexOf('.') + 1);

describe('inventory: the agent path (enrol, credentials, check-ins, detections)', () => {
  const system = inventorySystem();

  it('enrols a device once per (site, hardware key): a re-install keeps its id and seat and gets a new token', async () => {
    const { consoleId, siteId, keycode } = await system.openConsole({ seats: 5 });
    const hardwareKey = `hw-${randomUUID()}`;

    const first = await system.enroll(keycode, { hardwareKey, hostname: 'PC-SALES-01' });
    expect(first).toMatchObject({
      consoleId,
      siteId,
      policyId: BUILTIN_POLICY_IDS.recommended_defaults,
      reinstalled: false,
    });
    expect(first.deviceToken.startsWith(`${first.deviceId}.`)).toBe(true);
    const again = await system.enroll(keycode, { hardwareKey, hostname: 'PC-SALES-01' });
    expect(again).toMatchObject({ deviceId: first.deviceId, reinstalled: true });
    expect(again.deviceToken).not.toBe(first.deviceToken);

    const credentials = await system.rpc().request(inventoryRpc.deviceCredentials, {
      caller: agentPath,
      deviceId: first.deviceId,
    });
    expect(credentials).toEqual({
      deviceId: first.deviceId,
      consoleId,
      siteId,
      tokenSha256: sha256(secretOf(again.deviceToken)),
      policyId: BUILTIN_POLICY_IDS.recommended_defaults,
      infected: false,
    });
    expect(credentials.tokenSha256).not.toBe(sha256(secretOf(first.deviceToken)));

    const usage = await system
      .rpc()
      .request(licensingRpc.getConsole, { caller: operator, consoleId });
    expect(usage.usage.used).toBe(1);
    await system.eventWhere(
      inventoryEvents.endpointEnrolled.subject,
      (e) => e['deviceId'] === first.deviceId && e['reinstalled'] === false,
    );
    await system.eventWhere(
      inventoryEvents.devicesChanged.subject,
      (e) => Array.isArray(e['deviceIds']) && (e['deviceIds'] as string[]).includes(first.deviceId),
    );
    await system.eventWhere(
      inventoryEvents.auditRecorded.subject,
      (e) =>
        e['action'] === 'endpoint.enrolled' &&
        (e['actor'] as { type: string; id: string }).id === first.deviceId,
    );
  });

  it('enrols 20 of 60 devices racing for a site with 20 seats, and refuses the others', async () => {
    const { consoleId, keycode } = await system.openConsole({ seats: 20 });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 60 }, () => system.enroll(keycode)),
    );
    const enrolled = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(enrolled).toHaveLength(20);
    expect(
      refused.every((o) => (o.reason as { code?: string }).code === 'SEAT_LIMIT_REACHED'),
    ).toBe(true);
    const detail = await system
      .rpc()
      .request(licensingRpc.getConsole, { caller: operator, consoleId });
    expect(detail.usage.used).toBe(20);
  });

  it('refuses an unknown keycode and an unknown device', async () => {
    expect(await codeOf(system.enroll('AAAA-BBBB-CCCC-DDDD-EEEE'))).toBe('KEYCODE_INVALID');
    expect(
      await codeOf(
        system.rpc().request(inventoryRpc.deviceCredentials, {
          caller: agentPath,
          deviceId: randomUUID(),
        }),
      ),
    ).toBe('ENDPOINT_NOT_FOUND');
  });

  it('records check-ins in one batch: last seen only moves forward, unknown devices are not applied', async () => {
    const { keycode, admin } = await system.openConsole();
    const device = await system.enroll(keycode);
    const later = new Date(Date.now() + 60_000).toISOString();
    const earlier = new Date(Date.now() - 3_600_000).toISOString();
    const { applied } = await system.rpc().request(inventoryRpc.recordCheckins, {
      caller: agentPath,
      checkins: [
        { deviceId: device.deviceId, seenAt: later, ip: '198.51.100.4', agentVersion: '1.1.0' },
        { deviceId: randomUUID(), seenAt: later },
      ],
    });
    expect(applied).toBe(1);
    await system.rpc().request(inventoryRpc.recordCheckins, {
      caller: agentPath,
      checkins: [{ deviceId: device.deviceId, seenAt: earlier, status: 'ok' }],
    });
    const endpoint = await system.rpc().request(inventoryRpc.getEndpoint, {
      caller: admin,
      endpointId: device.deviceId,
    });
    expect(endpoint).toMatchObject({
      lastSeenAt: later,
      ip: '198.51.100.4',
      agentVersion: '1.1.0',
      status: 'protected',
    });
  });

  it('stores a detection once however often it is sent; infected until a later "ok", never cleared by an older one', async () => {
    const { keycode, admin } = await system.openConsole();
    const device = await system.enroll(keycode);
    const detection = {
      id: 'det-1',
      threatName: 'EICAR-Test-File',
      path: 'C:\\Users\\a\\Downloads\\eicar.com',
      hash: '44d88612fea8a8f36de82e1278abb02f',
      actionTaken: 'detected' as AgentDetection['actionTaken'],
      detectedAt: new Date().toISOString(),
    };
    const record = (detections: (typeof detection)[]) =>
      system.rpc().request(inventoryRpc.recordDetections, {
        caller: agentPath,
        deviceId: device.deviceId,
        detections,
      });
    const get = () =>
      system
        .rpc()
        .request(inventoryRpc.getEndpoint, { caller: admin, endpointId: device.deviceId });

    expect(await record([detection])).toEqual({ recorded: 1, duplicates: 0 });
    expect(
      await record([detection, { ...detection, id: 'det-2', actionTaken: 'quarantined' }]),
    ).toEqual({ recorded: 1, duplicates: 1 });
    const infected = await get();
    expect(infected.status).toBe('infected');
    expect(infected.lastInfectionAt).toBe(detection.detectedAt);
    expect(infected.detections.map((d) => d.agentDetectionId).sort()).toEqual(['det-1', 'det-2']);
    const since = Date.parse(infected.infectedSince!);

    // A buffered "ok" from before the infection began does not clear it.
    await system.rpc().request(inventoryRpc.recordCheckins, {
      caller: agentPath,
      checkins: [
        { deviceId: device.deviceId, seenAt: new Date(since - 1_000).toISOString(), status: 'ok' },
      ],
    });
    expect((await get()).status).toBe('infected');

    await system.rpc().request(inventoryRpc.recordCheckins, {
      caller: agentPath,
      checkins: [
        { deviceId: device.deviceId, seenAt: new Date(since + 1_000).toISOString(), status: 'ok' },
      ],
    });
    const cleared = await get();
    expect(cleared).toMatchObject({ status: 'protected', infectedSince: null });
    expect(cleared.lastInfectionAt).toBe(detection.detectedAt);

    // A repeat of the old detection does not bring the infection back.
    expect(await record([detection])).toEqual({ recorded: 0, duplicates: 1 });
    expect((await get()).status).toBe('protected');

    // Infected again, then a second threat: an "ok" seen between the two
    // (so after the infection began) but written after the second does not
    // clear it, and the gateway learns from the credentials it is infected.
    await record([{ ...detection, id: 'det-3' }]);
    const between = new Date().toISOString();
    await record([{ ...detection, id: 'det-4', threatName: 'Second-Threat' }]);
    await system.rpc().request(inventoryRpc.recordCheckins, {
      caller: agentPath,
      checkins: [{ deviceId: device.deviceId, seenAt: between, status: 'ok' }],
    });
    expect((await get()).status).toBe('infected');
    expect(
      await system
        .rpc()
        .request(inventoryRpc.deviceCredentials, { caller: agentPath, deviceId: device.deviceId }),
    ).toMatchObject({ infected: true });
  });
});
