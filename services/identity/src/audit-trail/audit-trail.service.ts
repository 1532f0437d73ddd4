import { Inject, Injectable } from '@nestjs/common';
import {
  AUDIT_EXPORT_MAX_ROWS,
  type AuditChainReport,
  type AuditEvent,
  type AuditEventView,
  auditTrailNotices,
  type auditTrailRpc,
  type Caller,
  idSchema,
  type InputOf,
  type ReplyOf,
} from '@warden/contracts';
import {
  DomainError,
  LOGGER,
  type Logger,
  NatsRpcClient,
  newId,
  ruleViolations,
  tenantOf,
} from '@warden/platform';
import { auditHash, chainBreakAt, chainOf, type ChainedFields, GENESIS_HASH } from './audit-chain';
import { AUDIT_CSV_HEADER, auditCsvLine } from './audit-csv';
import {
  type AuditEventFilter,
  type AuditEventRecord,
  AuditEventRepository,
  type AuditScope,
} from './audit-event.repository';

/**
 * Copies racing for the end of one chain: each lost attempt means another
 * event took the place, so the chain moved on. Past this, the event is
 * delivered again later (the consumer's back-off) instead of spinning here.
 */
const PLACE_ATTEMPTS = 50;

/**
 * An export is one NATS reply, and a NATS message is at most 1 MiB by default
 * (`max_payload`): the CSV stops below that, JSON-escaped as it travels.
 */
const EXPORT_MAX_REPLY_BYTES = 768 * 1024;

type Filters = InputOf<typeof auditTrailRpc.exportAuditEvents>;

/**
 * The audit trail: every service's audit events, stored once each in a
 * hash chain per console (audit-chain.ts), read newest recorded first.
 */
@Injectable()
export class AuditTrailService {
  constructor(
    private readonly events: AuditEventRepository,
    private readonly rpc: NatsRpcClient,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Stores an audit event at the end of its chain; a redelivered or
   * duplicated event (same `eventId`) is dropped. The place is the chain's
   * last `seq` + 1, taken by inserting it: when the unique indexes refuse the
   * insert, a re-read tells which — the event is stored already (a copy of
   * identity got it too), or another event took that place, so try the next.
   */
  async record(event: AuditEvent): Promise<'stored' | 'duplicate'> {
    if (await this.events.existsByEventId(event.eventId)) return this.dropped(event);
    const chain = chainOf(event.consoleId);
    for (let attempt = 1; attempt <= PLACE_ATTEMPTS; attempt++) {
      const last = await this.events.lastOfChain(chain);
      // When stored: the `_id` carries the same instant, so lists run newest `receivedAt` first.
      const receivedAt = new Date();
      const fields: ChainedFields = {
        eventId: event.eventId,
        chain,
        seq: (last?.seq ?? 0) + 1,
        prevHash: last?.hash ?? GENESIS_HASH,
        occurredAt: new Date(event.occurredAt),
        receivedAt,
        actorType: event.actor.type,
        actorId: event.actor.id,
        sourceIp: event.sourceIp ?? null,
        consoleId: event.consoleId,
        siteId: event.siteId,
        action: event.action,
        targetType: event.target.type,
        targetId: event.target.id,
        outcome: event.outcome,
        before: event.before,
        after: event.after,
      };
      const record = { _id: newId(receivedAt.getTime()), ...fields, hash: auditHash(fields) };
      if (await this.events.insert(record)) {
        this.logger.debug({ eventId: event.eventId, chain, seq: fields.seq }, 'audit event stored');
        this.rpc.emit(auditTrailNotices.stored, {
          eventId: event.eventId,
          consoleId: event.consoleId,
          action: event.action,
          seq: fields.seq,
        });
        return 'stored';
      }
      if (await this.events.existsByEventId(event.eventId)) return this.dropped(event);
    }
    throw new Error(`no place in audit chain ${chain} after ${PLACE_ATTEMPTS} attempts`);
  }

  async list(
    caller: Caller,
    { limit, cursor, ...filters }: InputOf<typeof auditTrailRpc.listAuditEvents>,
  ): Promise<ReplyOf<typeof auditTrailRpc.listAuditEvents>> {
    const scope = scopeOf(caller, filters.consoleId);
    const filter: AuditEventFilter = {
      ...toFilter(filters),
      ...(cursor === undefined ? {} : { recordedBefore: decodeCursor(cursor) }),
    };
    // One more than asked: whether there is a next page.
    const records = await this.events.list(scope, filter, limit + 1);
    const page = records.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toAuditEventView),
      nextCursor: records.length > limit && last ? encodeCursor(last._id) : null,
    };
  }

  /** CSV of the matching events, newest recorded first, up to what one reply carries. */
  async export(
    caller: Caller,
    filters: Filters,
  ): Promise<ReplyOf<typeof auditTrailRpc.exportAuditEvents>> {
    const scope = scopeOf(caller, filters.consoleId);
    let csv = AUDIT_CSV_HEADER;
    let bytes = encodedBytes(csv);
    let rows = 0;
    let truncated = false;
    for await (const record of this.events.stream(
      scope,
      toFilter(filters),
      AUDIT_EXPORT_MAX_ROWS + 1,
    )) {
      const line = auditCsvLine(record);
      const size = encodedBytes(line);
      if (rows === AUDIT_EXPORT_MAX_ROWS || bytes + size > EXPORT_MAX_REPLY_BYTES) {
        truncated = true;
        break;
      }
      csv += line;
      bytes += size;
      rows++;
    }
    return { csv, rows, truncated };
  }

  /**
   * Walks a chain in `seq` order and reports the first event that does not
   * hold: a missing `seq`, stored fields that no longer give the stored hash,
   * or a `prevHash` that is not the previous event's hash. (Events removed
   * from the end of a chain leave no gap to find: compare `checked` with an
   * earlier report, or with a hash kept elsewhere, for that.)
   */
  async verify(
    caller: Caller,
    input: InputOf<typeof auditTrailRpc.verifyAuditChain>,
  ): Promise<AuditChainReport> {
    const scope = scopeOf(caller, input.consoleId);
    if (scope.kind === 'console' && scope.siteIds !== null) {
      throw new DomainError('FORBIDDEN', 'verifying the audit chain needs access to every site');
    }
    const consoleId = scope.kind === 'console' ? scope.consoleId : null;
    let checked = 0;
    let firstBreak: AuditChainReport['firstBreak'] = null;
    let expected = { seq: 1, prevHash: GENESIS_HASH };
    for await (const record of this.events.chain(chainOf(consoleId))) {
      checked++;
      firstBreak ??= chainBreakAt(record, expected);
      expected = { seq: record.seq + 1, prevHash: record.hash };
    }
    return { consoleId, intact: firstBreak === null, checked, firstBreak };
  }

  private dropped(event: AuditEvent): 'duplicate' {
    this.logger.debug({ eventId: event.eventId }, 'audit event stored already: dropped');
    return 'duplicate';
  }
}

/**
 * A caller with a console reads only that console (`tenantOf`), and an
 * administrator limited per site only those sites' events. An operator reads
 * any console, or all of them when none is named. Anyone else: FORBIDDEN.
 */
function scopeOf(caller: Caller, consoleId: string | undefined): AuditScope {
  if (caller.consoleId === undefined && caller.actor.type === 'operator') {
    return consoleId === undefined
      ? { kind: 'all-consoles' }
      : { kind: 'console', consoleId, siteIds: null };
  }
  const own = tenantOf(caller);
  if (consoleId !== undefined && consoleId !== own) {
    throw new DomainError('FORBIDDEN', "a console's audit trail is read only from that console");
  }
  const siteIds = caller.siteAccess === undefined ? null : Object.keys(caller.siteAccess);
  return { kind: 'console', consoleId: own, siteIds };
}

function toFilter(filters: Filters): AuditEventFilter {
  return {
    ...(filters.from === undefined ? {} : { from: new Date(filters.from) }),
    ...(filters.to === undefined ? {} : { to: new Date(filters.to) }),
    ...(filters.actorType === undefined ? {} : { actorType: filters.actorType }),
    ...(filters.actorId === undefined ? {} : { actorId: filters.actorId }),
    ...(filters.action === undefined ? {} : { action: filters.action }),
    ...(filters.siteId === undefined ? {} : { siteId: filters.siteId }),
    ...(filters.targetType === undefined ? {} : { targetType: filters.targetType }),
    ...(filters.targetId === undefined ? {} : { targetId: filters.targetId }),
    ...(filters.outcome === undefined ? {} : { outcome: filters.outcome }),
  };
}

/** The cursor is the `_id` of the page's last event, base64url: opaque, not a contract. */
function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!idSchema.safeParse(id).success) throw ruleViolations({ cursor: ['format'] });
  return id;
}

/** What a string costs inside the JSON reply. */
function encodedBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text), 'utf8') - 2;
}

export function toAuditEventView(record: AuditEventRecord): AuditEventView {
  return {
    eventId: record.eventId,
    occurredAt: record.occurredAt.toISOString(),
    actor: { type: record.actorType, id: record.actorId },
    ...(record.sourceIp === null ? {} : { sourceIp: record.sourceIp }),
    consoleId: record.consoleId,
    siteId: record.siteId,
    action: record.action,
    target: { type: record.targetType, id: record.targetId },
    outcome: record.outcome,
    before: record.before,
    after: record.after,
    receivedAt: record.receivedAt.toISOString(),
    seq: record.seq,
    hash: record.hash,
  };
}
