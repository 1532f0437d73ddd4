import { licensingRpc } from '@warden/contracts';
import { testServers } from '@warden/testing';
import mongoose from 'mongoose';
import { openConsole, operator, outcome, startLicensing, system, tally } from './licensing-harness';

describe('seat leases (real NATS + Mongo-wire database, two licensing copies)', () => {
  let licensing: Awaited<ReturnType<typeof startLicensing>>;

  beforeAll(async () => {
    licensing = await startLicensing(2);
  });
  afterAll(async () => {
    await licensing.stop();
  });

  const claim = (siteId: string, hardwareKey: string) =>
    licensing.client.request(licensingRpc.claimSeat, { caller: system, siteId, hardwareKey });

  it('300 concurrent claims for 50 seats give exactly 50 leases and 250 refusals', async () => {
    const { sites } = await openConsole(licensing.client, { seats: 50 });
    const siteId = sites[0]!.id;

    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) => outcome(claim(siteId, `hw-device-${i}`))),
    );

    expect(tally(results)).toEqual({ OK: 50, SEAT_LIMIT_REACHED: 250 });
    const site = await licensing.client.request(licensingRpc.getSite, { caller: operator, siteId });
    expect(site.usage).toEqual({ seats: 50, used: 50, free: 0, overage: 0 });
  });

  it('claims by keycode as typed: the keycode’s site, once per device, and the same refusals', async () => {
    const { sites } = await openConsole(licensing.client, { seats: 1 });
    const site = sites[0]!;
    const byKeycode = (keycode: string, hardwareKey: string) =>
      licensing.client.request(licensingRpc.claimSeatByKeycode, {
        caller: system,
        keycode,
        hardwareKey,
      });

    const typed = site.keycode.toLowerCase().replaceAll('-', ' ');
    const first = await byKeycode(typed, 'hw-keycode-a');
    expect(first.site).toEqual({
      keycode: site.keycode,
      siteId: site.id,
      consoleId: site.consoleId,
      defaultPolicyId: null,
    });
    expect(await byKeycode(site.keycode, 'hw-keycode-a')).toEqual(first);
    expect(await outcome(byKeycode(site.keycode, 'hw-keycode-b'))).toBe('SEAT_LIMIT_REACHED');
    const mistyped = site.keycode.slice(0, -1) + (site.keycode.endsWith('A') ? 'B' : 'A');
    expect(await outcome(byKeycode(mistyped, 'hw-keycode-c'))).toBe('KEYCODE_INVALID');
  });

  it('gives the same device one lease however many times it claims in parallel', async () => {
    const { sites } = await openConsole(licensing.client, { seats: 5 });
    const siteId = sites[0]!.id;

    const leases = await Promise.all(
      Array.from({ length: 20 }, () => claim(siteId, 'hw-same-device')),
    );

    expect(new Set(leases.map((l) => l.id)).size).toBe(1);
    const site = await licensing.client.request(licensingRpc.getSite, { caller: operator, siteId });
    expect(site.usage.used).toBe(1);
  });

  it('frees a seat on release, idempotently, and re-uses it', async () => {
    const { sites } = await openConsole(licensing.client, { seats: 1 });
    const siteId = sites[0]!.id;
    await claim(siteId, 'hw-first-device');

    expect(await outcome(claim(siteId, 'hw-second-device'))).toBe('SEAT_LIMIT_REACHED');
    const release = () =>
      licensing.client.request(licensingRpc.releaseSeat, {
        caller: system,
        siteId,
        hardwareKey: 'hw-first-device',
      });
    expect(await release()).toEqual({ released: true });
    expect(await release()).toEqual({ released: false });
    expect(await claim(siteId, 'hw-second-device')).toMatchObject({ slot: 0, overage: false });
  });

  it('gives a device its own lease back at a full site, and after seats are lowered below use', async () => {
    const { sites } = await openConsole(licensing.client, { seats: 3 });
    const siteId = sites[0]!.id;
    const first = await Promise.all(
      ['hw-full-a', 'hw-full-b', 'hw-full-c'].map((hw) => claim(siteId, hw)),
    );

    expect(await claim(siteId, 'hw-full-b')).toEqual(first[1]);
    await licensing.client.request(licensingRpc.updateSite, {
      caller: operator,
      siteId,
      patch: { seats: 1 },
    });
    expect(await claim(siteId, 'hw-full-c')).toMatchObject({ id: first[2]!.id });
    expect(await outcome(claim(siteId, 'hw-full-d'))).toBe('SEAT_LIMIT_REACHED');
  });

  it('reports overage when seats are lowered below use, and refuses new claims until under', async () => {
    const { sites } = await openConsole(licensing.client, { seats: 6 });
    const siteId = sites[0]!.id;
    for (let i = 0; i < 6; i++) await claim(siteId, `hw-lower-${i}`);

    const lowered = await licensing.client.request(licensingRpc.updateSite, {
      caller: operator,
      siteId,
      patch: { seats: 3 },
    });
    expect(lowered.usage).toEqual({ seats: 3, used: 6, free: 0, overage: 3 });

    // Freeing two seats still leaves 4 > 3 in use: concurrent claims must all be refused.
    for (const hw of ['hw-lower-0', 'hw-lower-1']) {
      await licensing.client.request(licensingRpc.releaseSeat, {
        caller: system,
        siteId,
        hardwareKey: hw,
      });
    }
    const refused = await Promise.all(
      Array.from({ length: 10 }, (_, i) => outcome(claim(siteId, `hw-new-${i}`))),
    );
    expect(tally(refused)).toEqual({ SEAT_LIMIT_REACHED: 10 });
    const site = await licensing.client.request(licensingRpc.getSite, { caller: operator, siteId });
    expect(site.usage).toEqual({ seats: 3, used: 4, free: 0, overage: 1 });
  });

  it('lets soft-mode claims go beyond seats, marked as overage', async () => {
    const { sites } = await openConsole(licensing.client, { seats: 2, enforcement: 'soft' });
    const siteId = sites[0]!.id;

    const leases = await Promise.all(
      Array.from({ length: 5 }, (_, i) => claim(siteId, `hw-soft-${i}`)),
    );

    expect(leases.filter((l) => l.overage)).toHaveLength(3);
    expect(new Set(leases.map((l) => l.slot)).size).toBe(5);
    const site = await licensing.client.request(licensingRpc.getSite, { caller: operator, siteId });
    expect(site.usage).toEqual({ seats: 2, used: 5, free: 0, overage: 3 });

    // Switched to hard: the overage leases stay, and no new device gets in
    // until use is back under the seats, even into a freed low slot.
    await licensing.client.request(licensingRpc.updateSite, {
      caller: operator,
      siteId,
      patch: { enforcement: 'hard' },
    });
    const low = leases.filter((l) => !l.overage).map((l) => l.hardwareKey);
    for (const hardwareKey of low) {
      await licensing.client.request(licensingRpc.releaseSeat, {
        caller: system,
        siteId,
        hardwareKey,
      });
    }
    const refused = await Promise.all(
      Array.from({ length: 6 }, (_, i) => outcome(claim(siteId, `hw-after-switch-${i}`))),
    );
    expect(tally(refused)).toEqual({ SEAT_LIMIT_REACHED: 6 });
  });

  it('moves a lease to another site: claimed in the target, released in the source', async () => {
    const source = (await openConsole(licensing.client, { seats: 1 })).sites[0]!;
    const target = (await openConsole(licensing.client, { seats: 1 })).sites[0]!;
    await claim(source.id, 'hw-moving');

    const moved = await licensing.client.request(licensingRpc.moveSeat, {
      caller: system,
      hardwareKey: 'hw-moving',
      fromSiteId: source.id,
      toSiteId: target.id,
    });

    expect(moved.siteId).toBe(target.id);
    expect(
      await outcome(
        licensing.client.request(licensingRpc.lookupSeat, {
          caller: system,
          siteId: source.id,
          hardwareKey: 'hw-moving',
        }),
      ),
    ).toBe('SEAT_LEASE_NOT_FOUND');
    // A full target refuses the move and the device keeps its seat in the source.
    await claim(source.id, 'hw-other');
    expect(
      await outcome(
        licensing.client.request(licensingRpc.moveSeat, {
          caller: system,
          hardwareKey: 'hw-other',
          fromSiteId: source.id,
          toSiteId: target.id,
        }),
      ),
    ).toBe('SEAT_LIMIT_REACHED');
    expect(
      await licensing.client.request(licensingRpc.lookupSeat, {
        caller: system,
        siteId: source.id,
        hardwareKey: 'hw-other',
      }),
    ).toMatchObject({ siteId: source.id });
  });

  it('refuses claims and keycodes of a suspended console, and accepts them again on resume', async () => {
    const detail = await openConsole(licensing.client, { seats: 5 });
    const siteId = detail.sites[0]!.id;
    const keycode = detail.sites[0]!.keycode;
    await licensing.client.request(licensingRpc.suspendConsole, {
      caller: operator,
      consoleId: detail.console.id,
    });

    expect(await outcome(claim(siteId, 'hw-suspended'))).toBe('CONSOLE_SUSPENDED');
    expect(
      await outcome(
        licensing.client.request(licensingRpc.resolveKeycode, { caller: system, keycode }),
      ),
    ).toBe('CONSOLE_SUSPENDED');

    await licensing.client.request(licensingRpc.resumeConsole, {
      caller: operator,
      consoleId: detail.console.id,
    });
    expect(await outcome(claim(siteId, 'hw-suspended'))).toBe('OK');
  });
});

describe('trials', () => {
  it('refuses claims and keycodes once the trial has ended, and accepts them after conversion', async () => {
    const licensing = await startLicensing(1);
    const db = await mongoose
      .createConnection(testServers().mongodbUri, { dbName: licensing.dbName })
      .asPromise();
    try {
      const detail = await openConsole(licensing.client, { seats: 5 }, 'trial');
      const { id: siteId, keycode } = detail.sites[0]!;
      // Time passes: the trial ended a minute ago.
      await db
        .collection<{ _id: string }>('consoles')
        .updateOne(
          { _id: detail.console.id },
          { $set: { trialEndsAt: new Date(Date.now() - 60_000) } },
        );

      expect(
        await outcome(
          licensing.client.request(licensingRpc.claimSeat, {
            caller: system,
            siteId,
            hardwareKey: 'hw-late-device',
          }),
        ),
      ).toBe('CONSOLE_TRIAL_EXPIRED');
      expect(
        await outcome(
          licensing.client.request(licensingRpc.resolveKeycode, { caller: system, keycode }),
        ),
      ).toBe('CONSOLE_TRIAL_EXPIRED');
      const got = await licensing.client.request(licensingRpc.getConsole, {
        caller: operator,
        consoleId: detail.console.id,
      });
      expect(got.console.trialExpired).toBe(true);

      await licensing.client.request(licensingRpc.convertConsole, {
        caller: operator,
        consoleId: detail.console.id,
      });
      expect(
        await outcome(
          licensing.client.request(licensingRpc.claimSeat, {
            caller: system,
            siteId,
            hardwareKey: 'hw-late-device',
          }),
        ),
      ).toBe('OK');
    } finally {
      await db.close();
      await licensing.stop();
    }
  });
});

describe('restarts', () => {
  it('loses no claim when one of two copies stops in the middle of a burst', async () => {
    const licensing = await startLicensing(2);
    try {
      const { sites } = await openConsole(licensing.client, { seats: 500 });
      const siteId = sites[0]!.id;
      let answered = 0;
      let firstAnswers: () => void = () => undefined;
      const someAnswered = new Promise<void>((done) => (firstAnswers = done));
      const claims = Array.from({ length: 200 }, (_, i) =>
        outcome(
          licensing.client.request(licensingRpc.claimSeat, {
            caller: system,
            siteId,
            hardwareKey: `hw-burst-${i}`,
          }),
        ).then((result) => {
          if (++answered === 20) firstAnswers();
          return result;
        }),
      );

      // Stop one copy in the middle of the burst: after the first answers, with most still to come.
      await someAnswered;
      await licensing.apps[0]!.close();

      expect(tally(await Promise.all(claims))).toEqual({ OK: 200 });
      const site = await licensing.client.request(licensingRpc.getSite, {
        caller: operator,
        siteId,
      });
      expect(site.usage.used).toBe(200);
    } finally {
      await licensing.stop();
    }
  });
});

describe('the race the unique index prevents (control experiment)', () => {
  it('a read-then-insert counter under the same load oversubscribes', async () => {
    // Same servers, same concurrency as the 300-claim test, but the naive design:
    // count the leases, insert if below seats. If this did not oversubscribe, the
    // test above would not be racing and would prove nothing.
    const connection = await mongoose
      .createConnection(testServers().mongodbUri, { dbName: 'race_control' })
      .asPromise();
    try {
      const leases = connection.collection<{ siteId: string; hardwareKey: string }>('naive_leases');
      const siteId = `site-${Date.now()}`;
      const naiveClaim = async (hardwareKey: string): Promise<boolean> => {
        const used = await leases.countDocuments({ siteId });
        if (used >= 50) return false;
        await leases.insertOne({ siteId, hardwareKey });
        return true;
      };

      await Promise.all(Array.from({ length: 300 }, (_, i) => naiveClaim(`hw-${i}`)));

      expect(await leases.countDocuments({ siteId })).toBeGreaterThan(50);
    } finally {
      await connection.close();
    }
  });
});
