import { randomUUID } from 'node:crypto';
import { type Caller, licensingRpc } from '@warden/contracts';
import { openConsole, operator, outcome, startLicensing, system, tally } from './licensing-harness';

/** The command service's housekeeping jobs. */
const housekeeping: Caller = { actor: { type: 'system', id: 'command' } };

type Licensing = Awaited<ReturnType<typeof startLicensing>>;

const claim = (licensing: Licensing, siteId: string, hardwareKey: string) =>
  licensing.client.request(licensingRpc.claimSeat, { caller: system, siteId, hardwareKey });
const release = (licensing: Licensing, siteId: string, hardwareKey: string) =>
  licensing.client.request(licensingRpc.releaseSeat, { caller: system, siteId, hardwareKey });
const leasesOf = (licensing: Licensing, siteId: string, caller: Caller = housekeeping) =>
  licensing.client.request(licensingRpc.siteLeases, { caller, siteId });
const lower = (licensing: Licensing, siteId: string, caller: Caller = housekeeping) =>
  licensing.client.request(licensingRpc.lowerSlotRange, { caller, siteId });

/** A site of `seats` seats, `used` of them claimed, then its seats lowered to `loweredTo`. */
async function siteLoweredBelowUse(licensing: Licensing, seats: number, loweredTo: number) {
  const detail = await openConsole(licensing.client, { seats });
  const siteId = detail.sites[0]!.id;
  for (let i = 0; i < seats; i++) await claim(licensing, siteId, `hardware-${i}`);
  await licensing.client.request(licensingRpc.updateSite, {
    caller: operator,
    siteId,
    patch: { seats: loweredTo },
  });
  return { siteId, consoleId: detail.console.id };
}

describe('licensing housekeeping: every site, a site’s leases, lowering the slot range', () => {
  let licensing: Licensing;
  beforeAll(async () => {
    licensing = await startLicensing(1, { SLOT_RANGE_SETTLE_SECONDS: '0' });
  });
  afterAll(() => licensing.stop());

  it('pages through every console’s sites with their console’s language, name and status, recipients and usage', async () => {
    const ja = await licensing.client.request(licensingRpc.createConsole, {
      caller: operator,
      idempotencyKey: randomUUID(),
      name: 'Yamada Shoji',
      kind: 'production',
      language: 'ja',
      site: { name: 'Tokyo', seats: 5, reportRecipients: ['it@yamada.example'] },
    });
    const en = await openConsole(licensing.client, { seats: 2 });
    await claim(licensing, ja.sites[0]!.id, 'hardware-tokyo');

    const seen = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await licensing.client.request(licensingRpc.listAllSites, {
        caller: housekeeping,
        limit: 1,
        ...(cursor === undefined ? {} : { cursor }),
      });
      seen.push(...page.items);
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor !== undefined);
    expect(pages).toBe(seen.length); // one site a page, and no empty last page
    expect(new Set(seen.map((s) => s.siteId)).size).toBe(seen.length);
    expect(seen.find((s) => s.siteId === ja.sites[0]!.id)).toEqual({
      siteId: ja.sites[0]!.id,
      consoleId: ja.console.id,
      name: 'Tokyo',
      consoleName: 'Yamada Shoji',
      consoleStatus: 'active',
      language: 'ja',
      reportRecipients: ['it@yamada.example'],
      usage: { seats: 5, used: 1, free: 4, overage: 0 },
    });
    expect(seen.find((s) => s.siteId === en.sites[0]!.id)?.language).toBe(en.console.language);

    const own = await licensing.client.request(licensingRpc.listAllSites, {
      caller: { actor: { type: 'admin', id: 'a' }, consoleId: en.console.id },
      limit: 100,
    });
    expect(own.items.map((s) => s.siteId)).toEqual([en.sites[0]!.id]);
  });

  it('lists a site’s leases with seats and slot range; another console’s site is not found', async () => {
    const { siteId } = await siteLoweredBelowUse(licensing, 3, 1);
    const leases = await leasesOf(licensing, siteId);
    expect(leases).toMatchObject({ siteId, seats: 1, slotRange: 3 });
    expect(leases.leases.map((l) => l.hardwareKey).sort()).toEqual([
      'hardware-0',
      'hardware-1',
      'hardware-2',
    ]);
    expect(leases.leases.map((l) => l.slot)).toEqual([0, 1, 2]);
    expect(leases.nextAfterSlot).toBeNull();
    const pages = [];
    let afterSlot: number | undefined;
    do {
      const page = await licensing.client.request(licensingRpc.siteLeases, {
        caller: housekeeping,
        siteId,
        pageSize: 2,
        ...(afterSlot === undefined ? {} : { afterSlot }),
      });
      pages.push(page.leases.map((l) => l.slot));
      afterSlot = page.nextAfterSlot ?? undefined;
    } while (afterSlot !== undefined);
    expect(pages).toEqual([[0, 1], [2]]);

    const other = await openConsole(licensing.client);
    const stranger: Caller = { actor: { type: 'admin', id: 'b' }, consoleId: other.console.id };
    expect(await outcome(leasesOf(licensing, siteId, stranger))).toBe('SITE_NOT_FOUND');
    expect(await outcome(lower(licensing, siteId, stranger))).toBe('SITE_NOT_FOUND');
  });

  it('lowers the slot range to the highest occupied slot + 1, then to the seats, and the fast path holds the seats', async () => {
    const { siteId } = await siteLoweredBelowUse(licensing, 4, 2);
    const slots = new Map((await leasesOf(licensing, siteId)).leases.map((l) => [l.slot, l]));

    // Nothing can go: every slot up to 3 is held.
    expect(await lower(licensing, siteId)).toEqual({ slotRange: 4, lowered: false });

    await release(licensing, siteId, slots.get(3)!.hardwareKey);
    expect(await lower(licensing, siteId)).toEqual({ slotRange: 3, lowered: true });
    expect((await leasesOf(licensing, siteId)).slotRange).toBe(3);

    await release(licensing, siteId, slots.get(2)!.hardwareKey);
    expect(await lower(licensing, siteId)).toEqual({ slotRange: 2, lowered: true });
    expect(await lower(licensing, siteId)).toEqual({ slotRange: 2, lowered: false });

    // Back on the fast path, still never more leases than seats.
    await release(licensing, siteId, slots.get(1)!.hardwareKey);
    const claims = await Promise.all(
      Array.from({ length: 10 }, (_, i) => outcome(claim(licensing, siteId, `hardware-new-${i}`))),
    );
    expect(tally(claims)).toEqual({ OK: 1, SEAT_LIMIT_REACHED: 9 });
    expect((await leasesOf(licensing, siteId)).leases).toHaveLength(2);
  });
});

describe('licensing housekeeping: the slot range waits for claims that may still be in flight', () => {
  let licensing: Licensing;
  beforeAll(async () => {
    licensing = await startLicensing(1, { SLOT_RANGE_SETTLE_SECONDS: '3600' });
  });
  afterAll(() => licensing.stop());

  it('does not lower it while the seats were changed within SLOT_RANGE_SETTLE_SECONDS', async () => {
    const { siteId } = await siteLoweredBelowUse(licensing, 3, 1);
    await release(licensing, siteId, 'hardware-1');
    await release(licensing, siteId, 'hardware-2');
    await release(licensing, siteId, 'hardware-0');
    expect(await lower(licensing, siteId)).toEqual({ slotRange: 3, lowered: false });
  });
});
