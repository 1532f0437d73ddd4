import { type Caller, inventoryEvents, inventoryRpc } from '@warden/contracts';
import { randomUUID } from 'node:crypto';
import { agentPath, codeOf, inventorySystem } from './inventory-harness';

/** The command service's housekeeping jobs ask as the system: across consoles. */
const system: Caller = { actor: { type: 'system', id: 'command' } };

describe('inventory: what the housekeeping jobs ask (stale marking, site devices, site report)', () => {
  const sut = inventorySystem();
  const rpc = () => sut.rpc();
  const markStale = (caller: Caller = system) => rpc().request(inventoryRpc.markStale, { caller });
  const staleAudits = (deviceId: string) =>
    sut.published.filter(
      (e) =>
        e.subject === inventoryEvents.auditRecorded.subject &&
        e.data['action'] === 'endpoint.not-seen-recently' &&
        (e.data['target'] as { id: string }).id === deviceId,
    );

  it('marks endpoints past their console’s threshold once (one audit event), and clears the mark once seen again', async () => {
    const opened = await sut.openConsole();
    const [stale, fresh] = [await sut.enroll(opened.keycode), await sut.enroll(opened.keycode)];
    await sut.lastSeenLongAgo(stale.deviceId, 24 * 30);

    const first = await markStale();
    expect(first.marked).toBeGreaterThanOrEqual(1);
    const audit = await sut.eventWhere(
      inventoryEvents.auditRecorded.subject,
      (e) =>
        e['action'] === 'endpoint.not-seen-recently' &&
        (e['target'] as { id: string }).id === stale.deviceId,
    );
    expect(audit).toMatchObject({ consoleId: opened.consoleId, siteId: opened.siteId });
    expect(await markStale()).toMatchObject({ marked: 0 });
    expect(staleAudits(stale.deviceId)).toHaveLength(1);
    expect(staleAudits(fresh.deviceId)).toHaveLength(0);

    await rpc().request(inventoryRpc.recordCheckins, {
      caller: agentPath,
      checkins: [{ deviceId: stale.deviceId, seenAt: new Date().toISOString() }],
    });
    expect(await markStale()).toMatchObject({ marked: 0, cleared: 1 });

    // Past the threshold again later: marked (and audited) again.
    await sut.lastSeenLongAgo(stale.deviceId, 24 * 40);
    expect(await markStale()).toMatchObject({ marked: 1 });
    await sut.eventWhere(
      inventoryEvents.auditRecorded.subject,
      () => staleAudits(stale.deviceId).length === 2,
    );
  });

  it('a console caller marks only its own console', async () => {
    const opened = await sut.openConsole();
    const other = await sut.openConsole();
    const [mine, theirs] = [await sut.enroll(opened.keycode), await sut.enroll(other.keycode)];
    await sut.lastSeenLongAgo(mine.deviceId, 24 * 30);
    await sut.lastSeenLongAgo(theirs.deviceId, 24 * 30);

    expect(await markStale(other.admin)).toEqual({ marked: 1, cleared: 0 });
    await sut.eventWhere(
      inventoryEvents.auditRecorded.subject,
      () => staleAudits(theirs.deviceId).length === 1,
    );
    expect(staleAudits(mine.deviceId)).toHaveLength(0);
  });

  it('lists a site’s devices for the seat reconciliation, with their lifecycle', async () => {
    const opened = await sut.openConsole();
    const hardwareKey = `hw-${randomUUID()}`;
    const device = await sut.enroll(opened.keycode, { hardwareKey });
    const gone = await sut.enroll(opened.keycode);
    await rpc().request(inventoryRpc.setLifecycle, {
      caller: system,
      deviceIds: [gone.deviceId],
      from: ['active'],
      to: 'deactivated',
    });

    const { devices } = await rpc().request(inventoryRpc.siteDevices, {
      caller: system,
      siteId: opened.siteId,
    });
    expect(devices).toHaveLength(2);
    expect(devices.find((d) => d.deviceId === device.deviceId)).toMatchObject({
      hardwareKey,
      lifecycle: 'active',
    });
    expect(devices.find((d) => d.deviceId === gone.deviceId)?.lifecycle).toBe('deactivated');

    const first = await rpc().request(inventoryRpc.siteDevices, {
      caller: system,
      siteId: opened.siteId,
      pageSize: 1,
    });
    expect(first.devices).toHaveLength(1);
    const second = await rpc().request(inventoryRpc.siteDevices, {
      caller: system,
      siteId: opened.siteId,
      pageSize: 1,
      after: first.nextAfter!,
    });
    expect(second.nextAfter).toBeNull();
    expect([...first.devices, ...second.devices]).toEqual(
      [...devices].sort((a, b) => a.deviceId.localeCompare(b.deviceId)),
    );

    const other = await sut.openConsole();
    expect(
      await rpc().request(inventoryRpc.siteDevices, { caller: other.admin, siteId: opened.siteId }),
    ).toEqual({ devices: [], nextAfter: null });
  });

  it('reports a site: endpoints by status, detections since a time and the top threats', async () => {
    const opened = await sut.openConsole();
    const [a, b, c] = [
      await sut.enroll(opened.keycode),
      await sut.enroll(opened.keycode),
      await sut.enroll(opened.keycode),
    ];
    await sut.lastSeenLongAgo(c.deviceId, 24 * 30);
    const detect = (deviceId: string, threatName: string, actionTaken: 'detected' | 'removed') =>
      rpc().request(inventoryRpc.recordDetections, {
        caller: agentPath,
        deviceId,
        detections: [
          {
            id: randomUUID(),
            threatName,
            path: '/tmp/x',
            hash: '44d88612fea8a8f36de82e1278abb02f',
            actionTaken,
            detectedAt: new Date().toISOString(),
          },
        ],
      });
    await detect(a.deviceId, 'EICAR-Test-File', 'detected');
    const since = new Date().toISOString();
    await detect(a.deviceId, 'EICAR-Test-File', 'detected');
    await detect(b.deviceId, 'EICAR-Test-File', 'removed');
    await detect(b.deviceId, 'Trojan.Generic', 'removed');

    const report = await rpc().request(inventoryRpc.siteReport, {
      caller: system,
      siteId: opened.siteId,
      since,
    });
    expect(report).toMatchObject({
      siteId: opened.siteId,
      total: 3,
      counts: { infected: 1, protected: 1, not_seen_recently: 1, deactivated: 0 },
      newDetections: 3,
      topThreats: [
        { threatName: 'EICAR-Test-File', count: 2 },
        { threatName: 'Trojan.Generic', count: 1 },
      ],
    });

    const other = await sut.openConsole();
    expect(
      await codeOf(
        rpc().request(inventoryRpc.siteReport, {
          caller: other.admin,
          siteId: opened.siteId,
          since,
        }),
      ),
    ).toBe('SITE_NOT_FOUND');
  });
});
