import { randomUUID } from 'node:crypto';
import {
  AUDIT_EVENT_CONTRACTS,
  type AuditEvent,
  type AuditEventView,
  auditTrailRpc,
  type Caller,
  licensingRpc,
  type RequestOf,
} from '@warden/contracts';
import { testServers } from '@warden/testing';
import { connect, type NatsConnection } from 'nats';
import { type AuditTrailWatch, watchAuditTrail } from './audit-trail-watch';
import { type IdentityHarness, operator, outcome, startIdentity } from './identity-harness';

/*
 * The audit trail identity keeps: every service's audit events, consumed
 * durably from JetStream, stored once each in a hash chain per console, read
 * newest recorded first. Events of services that do not run here (policy,
 * inventory, command) are published the way their EventPublisher will.
 */

let h: IdentityHarness;
let nats: NatsConnection;
let trail: AuditTrailWatch;

beforeAll(async () => {
  h = await startIdentity();
  nats = await connect({ servers: testServers().natsUrl, name: 'audit-trail-test' });
  trail = await watchAuditTrail();
});
afterAll(async () => {
  await trail?.stop();
  await nats?.drain();
  await h?.stop();
});

type ListRequest = Omit<RequestOf<typeof auditTrailRpc.listAuditEvents>, 'caller'> & {
  caller?: Caller;
};

const list = ({ caller = operator, ...request }: ListRequest) =>
  h.client.request(auditTrailRpc.listAuditEvents, { caller, ...request });

const verify = (caller: Caller, consoleId?: string) =>
  h.client.request(auditTrailRpc.verifyAuditChain, {
    caller,
    ...(consoleId === undefined ? {} : { consoleId }),
  });

const actions = (items: AuditEventView[]) => items.map((item) => item.action);
const eventIds = (items: AuditEventView[]) => items.map((item) => item.eventId);
const including =
  (...wanted: string[]) =>
  (items: AuditEventView[]) =>
    wanted.every((action) => actions(items).includes(action));

/** Reads the trail again as events are stored until what it lists satisfies `check`. */
function trailUntil(
  request: ListRequest,
  check: (items: AuditEventView[]) => boolean,
  what: string,
): Promise<AuditEventView[]> {
  return trail.until(async () => (await list({ limit: 200, ...request })).items, check, what);
}

function auditEvent(fields: Partial<AuditEvent> = {}): AuditEvent {
  return {
    eventId: randomUUID(),
    occurredAt: new Date().toISOString(),
    actor: { type: 'system', id: 'audit-trail-test' },
    consoleId: null,
    siteId: null,
    action: 'policy.updated',
    target: { type: 'policy', id: randomUUID() },
    outcome: 'success',
    before: null,
    after: null,
    ...fields,
  };
}

/**
 * Publishes as a service's EventPublisher does (Nest's packet on its stream,
 * docs/adr/0005). Another `msgId` than the eventId gets past the stream's own
 * de-duplication, as a publish outside its window would.
 */
async function publish(
  service: keyof typeof AUDIT_EVENT_CONTRACTS,
  event: AuditEvent,
  msgId = event.eventId,
): Promise<void> {
  const { subject } = AUDIT_EVENT_CONTRACTS[service];
  const packet = JSON.stringify({ pattern: subject, data: event });
  await nats.jetstream().publish(subject, new TextEncoder().encode(packet), { msgID: msgId });
}

function createConsole() {
  return h.client.request(licensingRpc.createConsole, {
    caller: operator,
    idempotencyKey: randomUUID(),
    name: `Company ${randomUUID().slice(0, 8)}`,
    kind: 'production',
    site: { name: 'Head office', seats: 5 },
  });
}

const OPENED = ['console.created', 'site.created', 'administrator.invited'];

describe('what the services audit', () => {
  it('licensing and identity changes appear, newest recorded first, with actor and action', async () => {
    const opened = await h.openConsole();
    const { consoleId } = opened;

    const created = await trailUntil({ consoleId }, including(...OPENED), 'the opened console');
    expect(created.map((e) => [e.action, e.actor])).toEqual(
      expect.arrayContaining(OPENED.map((action) => [action, operator.actor])),
    );
    expect(created.find((e) => e.action === 'administrator.invited')).toMatchObject({
      consoleId,
      siteId: null,
      target: { type: 'administrator', id: opened.administratorId },
      outcome: 'success',
    });

    await h.client.request(licensingRpc.suspendConsole, { caller: operator, consoleId });
    await trailUntil({ consoleId }, including('console.suspended'), 'the suspension');
    await h.client.request(licensingRpc.resumeConsole, { caller: operator, consoleId });
    const items = await trailUntil({ consoleId }, including('console.resumed'), 'the resumption');

    expect(actions(items).slice(0, 2)).toEqual(['console.resumed', 'console.suspended']);
    expect(items.find((e) => e.action === 'console.suspended')).toMatchObject({
      before: { status: 'active' },
      after: { status: 'suspended' },
    });
    const received = items.map((e) => e.receivedAt);
    expect(received).toEqual([...received].sort().reverse());
    expect(items.map((e) => e.seq).sort((a, b) => a - b)).toEqual(items.map((_, i) => i + 1));
  });

  it('filters by action, actor, target, site and time, and pages with a cursor', async () => {
    const opened = await h.openConsole();
    const { consoleId } = opened;
    const first = await trailUntil({ consoleId }, including(...OPENED), 'the opened console');
    const site = first.find((e) => e.action === 'site.created')!;
    const mark = new Date().toISOString();
    await h.client.request(licensingRpc.suspendConsole, { caller: operator, consoleId });
    const all = await trailUntil({ consoleId }, including('console.suspended'), 'the suspension');

    const listed = async (request: ListRequest) => (await list({ consoleId, ...request })).items;
    expect(actions(await listed({ action: 'site.created' }))).toEqual(['site.created']);
    expect(eventIds(await listed({ siteId: site.siteId! }))).toEqual([site.eventId]);
    expect(
      actions(await listed({ targetType: 'administrator', targetId: opened.administratorId })),
    ).toEqual(['administrator.invited']);
    expect(await listed({ actorType: 'admin' })).toEqual([]);
    expect(await listed({ actorType: 'operator', actorId: operator.actor.id })).toEqual(all);
    expect(await listed({ outcome: 'failure' })).toEqual([]);
    expect(actions(await listed({ from: mark }))).toEqual(['console.suspended']);
    expect(actions(await listed({ to: mark })).sort()).toEqual([...OPENED].sort());

    const pages: AuditEventView[][] = [];
    let cursor: string | undefined;
    do {
      const page = await list({ consoleId, limit: 2, ...(cursor === undefined ? {} : { cursor }) });
      pages.push(page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(pages.flat()).toEqual(all);
    expect(pages.map((page) => page.length)).toEqual([2, 2]);
  });

  it('refuses a bad page size, a reversed time range and a forged cursor', async () => {
    const refused = (request: ListRequest) => outcome(list(request));

    expect(await refused({ limit: 0 })).toBe('VALIDATION_FAILED');
    expect(await refused({ limit: 201 })).toBe('VALIDATION_FAILED');
    expect(await refused({ from: '2026-12-02T00:00:00Z', to: '2026-12-01T00:00:00Z' })).toBe(
      'VALIDATION_FAILED',
    );
    expect(await refused({ cursor: 'bm90LWFuLWlk' })).toBe('VALIDATION_FAILED');
  });
});

describe('who reads it', () => {
  it('a console reads only its own trail, a per-site administrator only its sites', async () => {
    const [a, b] = await Promise.all([h.openConsole(), h.openConsole()]);
    await trailUntil({ consoleId: a.consoleId }, including(...OPENED), 'console A opened');
    await trailUntil({ consoleId: b.consoleId }, including(...OPENED), 'console B opened');
    const adminOfA: Caller = {
      actor: { type: 'admin', id: a.administratorId },
      consoleId: a.consoleId,
    };

    const own = (await list({ caller: adminOfA })).items;
    expect(actions(own).sort()).toEqual([...OPENED].sort());
    expect(new Set(own.map((e) => e.consoleId))).toEqual(new Set([a.consoleId]));
    expect(await outcome(list({ caller: adminOfA, consoleId: b.consoleId }))).toBe('FORBIDDEN');
    expect(await outcome(verify(adminOfA, b.consoleId))).toBe('FORBIDDEN');
    expect(await outcome(list({ caller: { actor: { type: 'system', id: 'job' } } }))).toBe(
      'FORBIDDEN',
    );

    const siteOfA = own.find((e) => e.action === 'site.created')!.siteId!;
    const limited: Caller = { ...adminOfA, siteAccess: { [siteOfA]: 'view_only' } };
    expect(actions((await list({ caller: limited })).items)).toEqual(['site.created']);
    expect(await outcome(verify(limited))).toBe('FORBIDDEN');

    const invites = (await list({ action: 'administrator.invited' })).items;
    expect(invites.map((e) => e.consoleId)).toEqual(
      expect.arrayContaining([a.consoleId, b.consoleId]),
    );
  });
});

describe('storage', () => {
  it('stores an event delivered twice, or on two subjects, once', async () => {
    const consoleId = randomUUID();
    const event = auditEvent({ consoleId });
    const markers = [auditEvent({ consoleId }), auditEvent({ consoleId })];

    await publish('policy', event);
    await publish('policy', event, `${event.eventId}:again`);
    await publish('inventory', event);
    // Each subject is handled in order: once its marker is stored, the copies before it were seen.
    await publish('policy', markers[0]!);
    await publish('inventory', markers[1]!);
    const items = await trailUntil(
      { consoleId },
      (listed) => markers.every((m) => eventIds(listed).includes(m.eventId)),
      'the markers',
    );

    expect(eventIds(items).filter((id) => id === event.eventId)).toHaveLength(1);
    expect(items).toHaveLength(3);
    expect(await verify(operator, consoleId)).toEqual({
      consoleId,
      intact: true,
      checked: 3,
      firstBreak: null,
    });
  });

  it('events published while identity is down arrive when it is back', async () => {
    for (const copy of [...h.identity.copies]) await h.stopIdentityCopy(copy);

    const consoleIds: string[] = [];
    for (let i = 0; i < 3; i++) consoleIds.push((await createConsole()).console.id);
    const policyEvent = auditEvent({ consoleId: consoleIds[0]! });
    await publish('policy', policyEvent);

    await h.startIdentityCopy();
    for (const consoleId of consoleIds) {
      await trailUntil(
        { consoleId },
        including('console.created', 'site.created'),
        `console ${consoleId}`,
      );
    }
    const first = await trailUntil(
      { consoleId: consoleIds[0]! },
      (items) => eventIds(items).includes(policyEvent.eventId),
      "policy's event",
    );
    expect(first).toHaveLength(3);
  });

  it('verify finds an edited event and a missing one', async () => {
    const [a, b] = await Promise.all([h.openConsole(), h.openConsole()]);
    await h.client.request(licensingRpc.suspendConsole, {
      caller: operator,
      consoleId: a.consoleId,
    });
    const items = await trailUntil(
      { consoleId: a.consoleId },
      including(...OPENED, 'console.suspended'),
      'console A',
    );
    await trailUntil({ consoleId: b.consoleId }, including(...OPENED), 'console B');
    const adminOfA: Caller = {
      actor: { type: 'admin', id: a.administratorId },
      consoleId: a.consoleId,
    };

    const intact = { consoleId: a.consoleId, intact: true, checked: 4, firstBreak: null };
    expect(await verify(operator, a.consoleId)).toEqual(intact);
    expect(await verify(adminOfA)).toEqual(intact);
    expect(await verify(operator)).toMatchObject({ consoleId: null, intact: true });

    const victim = items.find((e) => e.seq === 2)!;
    await h.db
      .collection('audit_events')
      .updateOne({ eventId: victim.eventId }, { $set: { actorId: 'someone-else' } });
    expect(await verify(adminOfA)).toEqual({
      consoleId: a.consoleId,
      intact: false,
      checked: 4,
      firstBreak: { seq: 2, eventId: victim.eventId, reason: 'hash_mismatch' },
    });

    await h.db.collection('audit_events').deleteOne({ chain: b.consoleId, seq: 2 });
    expect(await verify(operator, b.consoleId)).toEqual({
      consoleId: b.consoleId,
      intact: false,
      checked: 2,
      firstBreak: { seq: 2, eventId: null, reason: 'missing_seq' },
    });
  });

  it('two copies consuming at once keep one gap-free chain per console', async () => {
    const second = await h.startIdentityCopy();
    try {
      const consoleIds = [randomUUID(), randomUUID()];
      const services = Object.keys(AUDIT_EVENT_CONTRACTS) as (keyof typeof AUDIT_EVENT_CONTRACTS)[];
      const perConsole = 40;
      await Promise.all(
        Array.from({ length: perConsole * consoleIds.length }, (_, i) =>
          publish(
            services[i % services.length]!,
            auditEvent({ consoleId: consoleIds[i % consoleIds.length]!, action: 'test.raced' }),
          ),
        ),
      );

      for (const consoleId of consoleIds) {
        const items = await trailUntil(
          { consoleId },
          (listed) => listed.length === perConsole,
          `${perConsole} events of ${consoleId}`,
        );
        expect(items.map((e) => e.seq).sort((x, y) => x - y)).toEqual(
          Array.from({ length: perConsole }, (_, i) => i + 1),
        );
        expect(await verify(operator, consoleId)).toEqual({
          consoleId,
          intact: true,
          checked: perConsole,
          firstBreak: null,
        });
      }
    } finally {
      await h.stopIdentityCopy(second);
    }
  });
});

describe('export', () => {
  it('writes CSV with a header, quoted cells and formula-looking values defused', async () => {
    const consoleId = randomUUID();
    const event = auditEvent({
      consoleId,
      actor: { type: 'system', id: '@SUM(A1:A9)' },
      target: { type: 'policy', id: '=HYPERLINK("http://evil.example","open")' },
      after: { note: 'say "hi", then\nleave' },
    });
    await publish('policy', event);
    await trailUntil({ consoleId }, (items) => items.length === 1, 'the event');

    const exported = await h.client.request(auditTrailRpc.exportAuditEvents, {
      caller: operator,
      consoleId,
    });

    expect(exported).toMatchObject({ rows: 1, truncated: false });
    const [header, row, end] = exported.csv.split('\r\n');
    expect(header).toMatch(/^"occurredAt","receivedAt","consoleId","siteId","actorType","actorId"/);
    expect(row).toContain(`"'=HYPERLINK(""http://evil.example"",""open"")"`);
    expect(row).toContain(`"'@SUM(A1:A9)"`);
    expect(row).toContain(`"{""note"":""say \\""hi\\"", then\\nleave""}"`);
    expect(row).toContain(`"${event.eventId}","1"`);
    expect(end).toBe('');
  });
});
