import {
  auditHash,
  canonicalJson,
  chainBreakAt,
  chainOf,
  type ChainedFields,
  GENESIS_HASH,
} from './audit-chain';
import type { AuditEventRecord } from './audit-event.model';

const fields = (): ChainedFields => ({
  eventId: '0b6c2b8e-3c1f-4a51-9d7e-2f1f6c0f4a11',
  chain: 'platform',
  seq: 1,
  prevHash: GENESIS_HASH,
  occurredAt: new Date('2026-12-01T10:00:00.000Z'),
  receivedAt: new Date('2026-12-01T10:00:00.250Z'),
  actorType: 'operator',
  actorId: 'ops-1',
  sourceIp: null,
  consoleId: null,
  siteId: null,
  action: 'console.created',
  targetType: 'console',
  targetId: 'c-1',
  outcome: 'success',
  before: null,
  after: { name: 'Acme', seats: 10, nested: { b: 1, a: [2, { y: 1, x: 0 }] } },
});

describe('canonicalJson', () => {
  it('sorts keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('writes dates as ISO strings and leaves undefined members out', () => {
    expect(canonicalJson({ at: new Date(0), gone: undefined, list: [undefined] })).toBe(
      '{"at":"1970-01-01T00:00:00.000Z","list":[null]}',
    );
  });
});

describe('auditHash', () => {
  it('does not depend on the order the database gives the keys in', () => {
    const sut = fields();
    const reordered = {
      ...sut,
      after: { nested: { a: [2, { x: 0, y: 1 }], b: 1 }, seats: 10, name: 'Acme' },
    };

    expect(auditHash(reordered)).toBe(auditHash(sut));
    expect(auditHash(sut)).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each<[string, (f: ChainedFields) => ChainedFields]>([
    ['a value in after', (f) => ({ ...f, after: { ...f.after, seats: 11 } })],
    ['the action', (f) => ({ ...f, action: 'console.suspended' })],
    ['the actor', (f) => ({ ...f, actorId: 'ops-2' })],
    ['the place in the chain', (f) => ({ ...f, seq: 2 })],
    ['the previous hash', (f) => ({ ...f, prevHash: 'f'.repeat(64) })],
    ['when it happened', (f) => ({ ...f, occurredAt: new Date('2026-12-01T10:00:00.001Z') })],
    ['when it was received', (f) => ({ ...f, receivedAt: new Date(0) })],
    ['the source address', (f) => ({ ...f, sourceIp: '10.0.0.1' })],
  ])('changes with %s', (_what, change) => {
    expect(auditHash(change(fields()))).not.toBe(auditHash(fields()));
  });
});

describe('chainOf', () => {
  it("is the console's own chain, or the platform's for events of no console", () => {
    expect(chainOf('0b6c2b8e-3c1f-4a51-9d7e-2f1f6c0f4a11')).toBe(
      '0b6c2b8e-3c1f-4a51-9d7e-2f1f6c0f4a11',
    );
    expect(chainOf(null)).toBe('platform');
  });
});

describe('chainBreakAt', () => {
  const stored = (f: ChainedFields): AuditEventRecord => ({ _id: 'id', ...f, hash: auditHash(f) });
  const first = stored(fields());
  const second = stored({ ...fields(), eventId: 'e-2', seq: 2, prevHash: first.hash });

  it('holds for events in their places, each linked to the one before', () => {
    expect(chainBreakAt(first, { seq: 1, prevHash: GENESIS_HASH })).toBeNull();
    expect(chainBreakAt(second, { seq: 2, prevHash: first.hash })).toBeNull();
  });

  it('names an event whose stored fields were changed', () => {
    const sut = chainBreakAt(
      { ...second, actorId: 'someone-else' },
      { seq: 2, prevHash: first.hash },
    );

    expect(sut).toEqual({ seq: 2, eventId: 'e-2', reason: 'hash_mismatch' });
  });

  it('names an event whose predecessor is not the one it was chained to', () => {
    const sut = chainBreakAt(second, { seq: 2, prevHash: 'a'.repeat(64) });

    expect(sut).toEqual({ seq: 2, eventId: 'e-2', reason: 'prev_hash_mismatch' });
  });

  it('names a missing place', () => {
    const sut = chainBreakAt(second, { seq: 1, prevHash: GENESIS_HASH });

    expect(sut).toEqual({ seq: 1, eventId: null, reason: 'missing_seq' });
  });
});
