import { licensingRpc } from '@warden/contracts';
import { randomUUID } from 'node:crypto';
import { eventually, housekeepingSystem, QUIET_SCHEDULES } from './housekeeping-harness';
import { operator } from './inventory-harness';

const RECONCILER = { type: 'system', id: 'command.housekeeping.seat-reconciliation' };

describe('Seat-lease reconciliation (housekeeping)', () => {
  const system = housekeepingSystem({
    command: QUIET_SCHEDULES,
    // Licensing lowers a slot range only once the site has stayed unchanged this long.
    licensing: { SLOT_RANGE_SETTLE_SECONDS: '0' },
  });

  const hardwareKey = (name: string) => `hw-${name}-${randomUUID()}`;
  const claim = (siteId: string, key: string) =>
    system.rpc().request(licensingRpc.claimSeat, { caller: operator, siteId, hardwareKey: key });
  const release = (siteId: string, key: string) =>
    system.rpc().request(licensingRpc.releaseSeat, { caller: operator, siteId, hardwareKey: key });
  const leasedKeys = async (siteId: string) =>
    (await system.leases(siteId)).leases.map((lease) => lease.hardwareKey).sort();
  /** Runs the reconciliation until `check` holds: drift is repaired only once it is settled (1 s). */
  const reconcileUntil = <T>(read: () => Promise<T>, check: (value: T) => boolean) =>
    eventually(
      async () => {
        await system.runNow('lease-reconciliation');
        return read();
      },
      check,
      15_000,
    );

  it('releases a lease that no endpoint uses, once settled, and audits it once', async () => {
    const site = await system.openConsole({ seats: 5 });
    const orphan = hardwareKey('orphan');
    const enrolled = hardwareKey('enrolled');
    await claim(site.siteId, orphan);
    await system.enroll(site.keycode, { hardwareKey: enrolled });

    await reconcileUntil(
      () => leasedKeys(site.siteId),
      (keys) => !keys.includes(orphan),
    );
    await system.runNow('lease-reconciliation');

    expect(await leasedKeys(site.siteId)).toEqual([enrolled]);
    const audit = await system.auditWhere('seat.reconciled', (e) => e.target.id === orphan);
    expect(audit).toMatchObject({
      actor: RECONCILER,
      consoleId: site.consoleId,
      siteId: site.siteId,
      outcome: 'success',
      target: { type: 'seat-lease', id: orphan },
      before: { hardwareKey: orphan },
      after: { repair: 'lease_without_endpoint_released' },
    });
    expect(system.audited('seat.reconciled').filter((e) => e.siteId === site.siteId)).toHaveLength(
      1,
    );
  });

  it('claims a seat for an endpoint whose lease is gone and audits it', async () => {
    const site = await system.openConsole({ seats: 5 });
    const key = hardwareKey('unleased');
    const device = await system.enroll(site.keycode, { hardwareKey: key });
    await release(site.siteId, key);

    await reconcileUntil(
      () => leasedKeys(site.siteId),
      (keys) => keys.includes(key),
    );

    const audit = await system.auditWhere('seat.reconciled', (e) => e.siteId === site.siteId);
    expect(audit).toMatchObject({
      actor: RECONCILER,
      outcome: 'success',
      target: { type: 'endpoint', id: device.deviceId },
      after: { repair: 'endpoint_without_lease_claimed', hardwareKey: key },
    });
  });

  it('audits a claim refused at a full hard site once and keeps running', async () => {
    const site = await system.openConsole({ seats: 2, enforcement: 'hard' });
    const kept = hardwareKey('kept');
    const unleased = hardwareKey('unleased');
    await system.enroll(site.keycode, { hardwareKey: kept });
    const device = await system.enroll(site.keycode, { hardwareKey: unleased });
    // One seat for two endpoints: the second's lease, once released, cannot come back.
    await system.setSeats(site.siteId, 1);
    await release(site.siteId, unleased);

    const refused = await reconcileUntil(
      () =>
        Promise.resolve(
          system.audited('seat.reconciled').filter((e) => e.target.id === device.deviceId),
        ),
      (events) => events.length > 0,
    );
    const summary = await system.runNow('lease-reconciliation');
    await system.runNow('lease-reconciliation');

    expect(refused[0]).toMatchObject({
      outcome: 'failure',
      after: {
        repair: 'endpoint_without_lease_refused',
        hardwareKey: unleased,
        code: 'SEAT_LIMIT_REACHED',
      },
    });
    expect(summary).toMatchObject({ refused: 0, claimed: 0 });
    expect(
      system.audited('seat.reconciled').filter((e) => e.target.id === device.deviceId),
    ).toHaveLength(1);
    expect(await leasedKeys(site.siteId)).toEqual([kept]);
  });

  it('lowers the slot range once the seats were lowered and the leases above them released', async () => {
    // One seat: the enrolled device takes slot 0; then two more leases take slots 1 and 2.
    const site = await system.openConsole({ seats: 1, enforcement: 'hard' });
    const enrolled = hardwareKey('enrolled');
    await system.enroll(site.keycode, { hardwareKey: enrolled });
    await system.setSeats(site.siteId, 3);
    const extra = [hardwareKey('extra'), hardwareKey('extra')];
    for (const key of extra) await claim(site.siteId, key);
    await system.setSeats(site.siteId, 1);
    expect(await system.leases(site.siteId)).toMatchObject({ seats: 1, slotRange: 3 });
    for (const key of extra) await release(site.siteId, key);

    await system.runNow('lease-reconciliation');

    expect(await system.leases(site.siteId)).toMatchObject({ seats: 1, slotRange: 1 });
    const audit = await system.auditWhere('seat.reconciled', (e) => e.target.id === site.siteId);
    expect(audit).toMatchObject({
      actor: RECONCILER,
      target: { type: 'site', id: site.siteId },
      before: { seats: 1, slotRange: 3 },
      after: { repair: 'slot_range_lowered', slotRange: 1 },
    });
  });
});
