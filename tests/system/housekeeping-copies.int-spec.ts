import { inventoryEvents, licensingRpc } from '@warden/contracts';
import { randomUUID } from 'node:crypto';
import { eventually, housekeepingSystem, QUIET_SCHEDULES } from './housekeeping-harness';
import { operator } from './inventory-harness';

/** The scheduled time a scheduler's run stands for (BullMQ: `repeat:<scheduler>:<millis>`). */
const tickOf = (jobId: string) => Number(/:(\d+)$/.exec(jobId)?.[1]);

describe('Housekeeping in two copies of the command service', () => {
  const system = housekeepingSystem({
    copies: 2,
    command: {
      ...QUIET_SCHEDULES,
      HOUSEKEEPING_EVERY_SECONDS: '1',
      RECONCILE_EVERY_SECONDS: '1',
    },
  });

  const runsAfter = (queue: Parameters<typeof system.runsOf>[0], count: number) =>
    eventually(
      () => Promise.resolve(system.runsOf(queue)),
      (runs) => runs.length >= count,
      20_000,
    );

  it('runs each tick of each routine once, whichever copy takes it', async () => {
    for (const queue of ['command-expiry', 'stale-endpoints', 'lease-reconciliation'] as const) {
      const runs = await runsAfter(queue, 4);

      const ticks = runs.map(tickOf);
      expect(new Set(runs).size).toBe(runs.length);
      expect(runs.every((id) => id.startsWith(`repeat:housekeeping-${queue}:`))).toBe(true);
      for (let i = 1; i < ticks.length; i++) {
        const gap = ticks[i]! - ticks[i - 1]!;
        expect(gap).toBeGreaterThan(0);
        expect(gap % 1_000).toBe(0);
      }
    }
  });

  it('repairs a seat drift once although both copies reconcile every second', async () => {
    const site = await system.openConsole({ seats: 5 });
    const orphan = `hw-orphan-${randomUUID()}`;
    await system.rpc().request(licensingRpc.claimSeat, {
      caller: operator,
      siteId: site.siteId,
      hardwareKey: orphan,
    });

    await system.auditWhere('seat.reconciled', (e) => e.target.id === orphan);
    const seen = system.runsOf('lease-reconciliation').length;
    await runsAfter('lease-reconciliation', seen + 3);

    expect(system.audited('seat.reconciled').filter((e) => e.target.id === orphan)).toHaveLength(1);
    expect((await system.leases(site.siteId)).leases).toEqual([]);
  });

  it('marks an endpoint not seen recently once, audited once', async () => {
    const site = await system.openConsole();
    const device = await system.enroll(site.keycode);
    const isStaleMark = (data: Record<string, unknown>) =>
      (data['target'] as { id?: string } | undefined)?.id === device.deviceId &&
      /stale|not-seen/.test(String(data['action']));

    const marks = () =>
      system.published.filter(
        (event) =>
          event.subject === inventoryEvents.auditRecorded.subject && isStaleMark(event.data),
      );

    await system.lastSeenLongAgo(device.deviceId, 24 * 30);
    await eventually(
      () => Promise.resolve(marks()),
      (found) => found.length > 0,
      15_000,
    );
    const seen = system.runsOf('stale-endpoints').length;
    await runsAfter('stale-endpoints', seen + 3);

    expect(marks()).toHaveLength(1);
  });
});
