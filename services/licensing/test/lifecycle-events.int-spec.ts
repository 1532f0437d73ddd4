import { licensingEvents, licensingRpc } from '@warden/contracts';
import { EventPublisher } from '@warden/platform';
import { testServers } from '@warden/testing';
import mongoose, { type Connection } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { type CollectedEvent, collectLicensingEvents, waitFor } from './event-collector';
import { openConsole, operator, outcome, startLicensing, system } from './licensing-harness';

const DAY_MS = 86_400_000;

describe('licensing lifecycle and audit events (durable, on JetStream)', () => {
  let licensing: Awaited<ReturnType<typeof startLicensing>>;
  let collector: Awaited<ReturnType<typeof collectLicensingEvents>>;
  let db: Connection;

  beforeAll(async () => {
    licensing = await startLicensing(1);
    collector = await collectLicensingEvents();
    db = await mongoose
      .createConnection(testServers().mongodbUri, { dbName: licensing.dbName })
      .asPromise();
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  afterAll(async () => {
    await db.close();
    await collector.stop();
    await licensing.stop();
  });

  const rpc = () => licensing.client;

  /** Every event about one console, once the collector has been handed everything published. */
  const eventsOf = async (consoleId: string): Promise<CollectedEvent[]> => {
    await waitFor(() => collector.settled(), 'every event delivered and acknowledged');
    return collector.events.filter((e) => e.event['consoleId'] === consoleId);
  };
  /** Lifecycle subjects, sorted: each subject has its own consumer, so their order is not kept. */
  const lifecycle = (events: CollectedEvent[]) =>
    events
      .filter((e) => e.subject !== licensingEvents.auditRecorded.subject)
      .map((e) => e.subject)
      .sort();
  const audits = (events: CollectedEvent[]) =>
    events
      .filter((e) => e.subject === licensingEvents.auditRecorded.subject)
      .map((e) => e.event['action']);

  it('opens a console: console and site created, once each however often the create is retried', async () => {
    const idempotencyKey = randomUUID();
    const create = () =>
      rpc().request(licensingRpc.createConsole, {
        caller: operator,
        idempotencyKey,
        name: 'Lifecycle KK',
        kind: 'trial',
        site: { name: 'Head office', seats: 10 },
      });

    const detail = await create();
    await create(); // a retry publishes the creation again under the same ids
    const events = await eventsOf(detail.console.id);

    expect(lifecycle(events)).toEqual([
      licensingEvents.consoleCreated.subject,
      licensingEvents.siteCreated.subject,
    ]);
    expect(audits(events)).toEqual(['console.created', 'site.created']);
    const created = events.find((e) => e.subject === licensingEvents.consoleCreated.subject)!;
    expect(created.event).toMatchObject({
      consoleId: detail.console.id,
      kind: 'trial',
      status: 'active',
      trialEndsAt: detail.console.trialEndsAt,
      occurredAt: detail.console.createdAt,
    });
    const site = detail.sites[0]!;
    expect(
      events.find((e) => e.subject === licensingEvents.siteCreated.subject)!.event,
    ).toMatchObject({
      siteId: site.id,
      seats: 10,
      enforcement: 'hard',
      keycodeSuffix: site.keycode.slice(-4),
    });
    expect(JSON.stringify(events)).not.toContain(site.keycode);
  });

  it('suspends, resumes and converts once each: a repeat writes nothing and publishes nothing', async () => {
    const { console: opened } = await openConsole(rpc(), {}, 'trial');
    const consoleId = opened.id;
    const command = { caller: operator, consoleId };

    await rpc().request(licensingRpc.suspendConsole, command);
    await rpc().request(licensingRpc.suspendConsole, command);
    await rpc().request(licensingRpc.resumeConsole, command);
    await rpc().request(licensingRpc.resumeConsole, command);
    const converted = await rpc().request(licensingRpc.convertConsole, command);
    const again = await rpc().request(licensingRpc.convertConsole, command);
    const events = await eventsOf(consoleId);

    expect(converted).toMatchObject({ kind: 'production', trialEndsAt: null });
    expect(again).toEqual(converted); // unchanged: not even updatedAt moved
    expect(lifecycle(events)).toEqual(
      [
        licensingEvents.consoleCreated.subject,
        licensingEvents.siteCreated.subject,
        licensingEvents.consoleSuspended.subject,
        licensingEvents.consoleResumed.subject,
        licensingEvents.consoleConverted.subject,
      ].sort(),
    );
    expect(audits(events)).toEqual([
      'console.created',
      'site.created',
      'console.suspended',
      'console.resumed',
      'console.converted',
    ]);
    const audit = events.find((e) => e.event['action'] === 'console.converted')!.event;
    expect(audit).toMatchObject({
      before: { kind: 'trial' },
      after: { kind: 'production', trialEndsAt: null },
    });
  });

  it('publishes one event when ten suspends of one console race', async () => {
    const { console: opened } = await openConsole(rpc());

    const replies = await Promise.all(
      Array.from({ length: 10 }, () =>
        rpc().request(licensingRpc.suspendConsole, { caller: operator, consoleId: opened.id }),
      ),
    );
    const events = await eventsOf(opened.id);

    expect(replies.map((r) => r.status)).toEqual(replies.map(() => 'suspended'));
    expect(
      lifecycle(events).filter((s) => s === licensingEvents.consoleSuspended.subject),
    ).toHaveLength(1);
    expect(audits(events).filter((a) => a === 'console.suspended')).toHaveLength(1);
  });

  it('extends a trial from its end, once per key, and refuses a production console', async () => {
    const { console: opened } = await openConsole(rpc(), {}, 'trial');
    const extend = (days: number, idempotencyKey: string) =>
      rpc().request(licensingRpc.extendTrial, {
        caller: operator,
        consoleId: opened.id,
        days,
        idempotencyKey,
      });
    const key = randomUUID();

    const first = await extend(10, key);
    const retried = await extend(10, key);
    const second = await extend(5, randomUUID());
    const production = await openConsole(rpc());

    const originalEnd = Date.parse(opened.trialEndsAt!);
    expect(Date.parse(first.trialEndsAt!)).toBe(originalEnd + 10 * DAY_MS);
    expect(retried).toEqual(first);
    expect(Date.parse(second.trialEndsAt!)).toBe(originalEnd + 15 * DAY_MS);
    expect(
      await outcome(
        rpc().request(licensingRpc.extendTrial, {
          caller: operator,
          consoleId: production.console.id,
          days: 10,
          idempotencyKey: randomUUID(),
        }),
      ),
    ).toBe('CONSOLE_NOT_TRIAL');

    const events = await eventsOf(opened.id);
    const extensions = events.filter(
      (e) => e.subject === licensingEvents.consoleTrialExtended.subject,
    );
    expect(extensions.map((e) => e.event)).toEqual([
      expect.objectContaining({
        days: 10,
        previousTrialEndsAt: opened.trialEndsAt,
        trialEndsAt: first.trialEndsAt,
      }),
      expect.objectContaining({
        days: 5,
        previousTrialEndsAt: first.trialEndsAt,
        trialEndsAt: second.trialEndsAt,
      }),
    ]);
    expect(audits(events).filter((a) => a === 'console.trial-extended')).toHaveLength(2);
  });

  it('makes an ended trial usable again when it is extended, from now', async () => {
    const detail = await openConsole(rpc(), {}, 'trial');
    const keycode = detail.sites[0]!.keycode;
    const ended = new Date(Date.now() - 60_000);
    await db
      .collection<{ _id: string }>('consoles')
      .updateOne({ _id: detail.console.id }, { $set: { trialEndsAt: ended } });
    expect(
      await outcome(rpc().request(licensingRpc.resolveKeycode, { caller: system, keycode })),
    ).toBe('CONSOLE_TRIAL_EXPIRED');

    const asked = Date.now();
    const extended = await rpc().request(licensingRpc.extendTrial, {
      caller: operator,
      consoleId: detail.console.id,
      days: 3,
      idempotencyKey: randomUUID(),
    });

    expect(extended.trialExpired).toBe(false);
    expect(Date.parse(extended.trialEndsAt!)).toBeGreaterThanOrEqual(asked + 3 * DAY_MS);
    expect(Date.parse(extended.trialEndsAt!)).toBeLessThanOrEqual(Date.now() + 3 * DAY_MS);
    expect(
      await outcome(rpc().request(licensingRpc.resolveKeycode, { caller: system, keycode })),
    ).toBe('OK');
    const events = await eventsOf(detail.console.id);
    expect(
      events.find((e) => e.subject === licensingEvents.consoleTrialExtended.subject)!.event,
    ).toMatchObject({ previousTrialEndsAt: ended.toISOString(), days: 3 });
  });

  it('publishes seat changes only when the seats change, and keycode rotations without the keycode', async () => {
    const detail = await openConsole(rpc(), { seats: 10 });
    const site = detail.sites[0]!;
    const update = (patch: Record<string, unknown>) =>
      rpc().request(licensingRpc.updateSite, { caller: operator, siteId: site.id, patch });

    await update({ seats: 20 });
    await update({ name: 'Renamed office' });
    await update({ seats: 20 }); // a repeat
    const rotated = await rpc().request(licensingRpc.rotateKeycode, {
      caller: operator,
      siteId: site.id,
      idempotencyKey: 'rotation-1',
    });
    const events = await eventsOf(detail.console.id);

    const seatChanges = events.filter(
      (e) => e.subject === licensingEvents.siteSeatsChanged.subject,
    );
    expect(seatChanges.map((e) => e.event)).toEqual([
      expect.objectContaining({ siteId: site.id, seats: 20, previousSeats: 10 }),
    ]);
    expect(audits(events).filter((a) => a === 'site.updated')).toHaveLength(2);
    const rotation = events.find((e) => e.subject === licensingEvents.keycodeRotated.subject)!;
    expect(rotation.event).toMatchObject({
      siteId: site.id,
      keycodeSuffix: rotated.keycode.slice(-4),
      previousKeycodeSuffix: site.keycode.slice(-4),
    });
    expect(JSON.stringify(events)).not.toContain(site.keycode);
    expect(JSON.stringify(events)).not.toContain(rotated.keycode);
  });

  it('answers a change whose publish failed, and delivers its events later from the outbox', async () => {
    const { console: opened } = await openConsole(rpc());
    const publisher = licensing.apps[0]!.get(EventPublisher);
    // The stream does not acknowledge the next publish (a NATS outage, say).
    jest
      .spyOn(publisher['js'], 'publish')
      .mockRejectedValueOnce(new Error('no acknowledgement from the stream'));

    const suspended = await rpc().request(licensingRpc.suspendConsole, {
      caller: operator,
      consoleId: opened.id,
    });

    expect(suspended.status).toBe('suspended');
    const outbox = db.collection('event_outbox');
    await waitFor(async () => (await outbox.countDocuments({})) === 0, 'the outbox relay');
    await waitFor(
      () =>
        collector.events.some(
          (e) =>
            e.event['consoleId'] === opened.id &&
            e.subject === licensingEvents.consoleSuspended.subject,
        ),
      'the relayed event',
    );
    const events = await eventsOf(opened.id);
    expect(
      lifecycle(events).filter((s) => s === licensingEvents.consoleSuspended.subject),
    ).toHaveLength(1);
    expect(audits(events).filter((a) => a === 'console.suspended')).toHaveLength(1);
  });

  it('refuses a change whose audit event is invalid before writing it, as INTERNAL', async () => {
    const { console: opened } = await openConsole(rpc());
    const schema = licensingEvents.auditRecorded.payload;
    const validate = schema.safeParse.bind(schema);
    // A bug in how the audit event is built (an action the contract refuses).
    jest
      .spyOn(schema, 'safeParse')
      .mockImplementation((value: unknown) =>
        (value as { action?: string }).action === 'console.suspended'
          ? validate({ ...(value as object), action: 'Console Suspended!' })
          : validate(value),
      );

    const refused = await outcome(
      rpc().request(licensingRpc.suspendConsole, { caller: operator, consoleId: opened.id }),
    );

    expect(refused).toBe('INTERNAL');
    const now = await rpc().request(licensingRpc.getConsole, {
      caller: operator,
      consoleId: opened.id,
    });
    expect(now.console.status).toBe('active');
    expect(now.console.updatedAt).toBe(opened.updatedAt);
    const events = await eventsOf(opened.id);
    expect(lifecycle(events)).not.toContain(licensingEvents.consoleSuspended.subject);
  });
});
