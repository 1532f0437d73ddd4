import { createHash } from 'node:crypto';
import type { AuditChainReport } from '@warden/contracts';
import type { AuditEventRecord } from './audit-event.model';

/** The chain of events that belong to no console (operator actions, sign-in limits…). */
export const PLATFORM_CHAIN = 'platform';

/** `prevHash` of the first event of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** Console ids are UUIDs, so they never collide with PLATFORM_CHAIN. */
export function chainOf(consoleId: string | null): string {
  return consoleId ?? PLATFORM_CHAIN;
}

/** What the hash of an event covers: every stored field except `_id` and `hash` itself. */
export type ChainedFields = Omit<AuditEventRecord, '_id' | 'hash'>;

/**
 * SHA-256 (hex) of the canonical JSON of an event's chained fields, under a
 * version tag so the covered fields can change later without ambiguity. The
 * fields are listed here, not spread, so a field added to the model does not
 * silently change (or escape) what is covered.
 */
export function auditHash(fields: ChainedFields): string {
  const covered = {
    v: 1,
    chain: fields.chain,
    seq: fields.seq,
    prevHash: fields.prevHash,
    eventId: fields.eventId,
    occurredAt: fields.occurredAt,
    receivedAt: fields.receivedAt,
    actorType: fields.actorType,
    actorId: fields.actorId,
    sourceIp: fields.sourceIp,
    consoleId: fields.consoleId,
    siteId: fields.siteId,
    action: fields.action,
    targetType: fields.targetType,
    targetId: fields.targetId,
    outcome: fields.outcome,
    before: fields.before,
    after: fields.after,
  };
  return createHash('sha256').update(canonicalJson(covered), 'utf8').digest('hex');
}

/**
 * Whether an event, read in `seq` order, holds its place: `expected` is the
 * `seq` after the previous event's and that event's hash (GENESIS_HASH
 * before the first). Null when it holds.
 */
export function chainBreakAt(
  record: AuditEventRecord,
  expected: { seq: number; prevHash: string },
): AuditChainReport['firstBreak'] {
  if (record.seq !== expected.seq) {
    return { seq: expected.seq, eventId: null, reason: 'missing_seq' };
  }
  if (auditHash(record) !== record.hash) {
    return { seq: record.seq, eventId: record.eventId, reason: 'hash_mismatch' };
  }
  if (record.prevHash !== expected.prevHash) {
    return { seq: record.seq, eventId: record.eventId, reason: 'prev_hash_mismatch' };
  }
  return null;
}

/**
 * JSON with object keys sorted at every level and dates as ISO strings, so the
 * same values give the same text however the database orders or types them
 * (an integer read back from a double, keys in another order). `undefined`
 * members are left out and non-finite numbers become null, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) {
    return `[${value.map((item: unknown) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, member]) => member !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
