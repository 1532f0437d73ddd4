import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { insertUnlessDuplicate, MONGO_CONNECTION } from '@warden/platform';
import type { Connection, FilterQuery, Model } from 'mongoose';
import { AuditEventModel, type AuditEventRecord } from './audit-event.model';

export type { AuditEventRecord } from './audit-event.model';

/**
 * Whose events a read may see: one console's — all of it, or only some of
 * its sites for an administrator limited per site — or, for operators only,
 * every console's and the platform's.
 */
export type AuditScope =
  | { kind: 'console'; consoleId: string; siteIds: readonly string[] | null }
  | { kind: 'all-consoles' };

export interface AuditEventFilter {
  from?: Date;
  to?: Date;
  actorType?: AuditEventRecord['actorType'];
  actorId?: string;
  action?: string;
  siteId?: string;
  targetType?: string;
  targetId?: string;
  outcome?: AuditEventRecord['outcome'];
  /** Only events recorded before this one (`_id` of the last event of the previous page). */
  recordedBefore?: string;
}

@Injectable()
export class AuditEventRepository implements OnModuleInit {
  private readonly events: Model<AuditEventRecord>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.events = AuditEventModel.on(connection);
  }

  async onModuleInit(): Promise<void> {
    await this.events.createIndexes();
  }

  /** False when the unique index refused it: this eventId, or this place in the chain, is taken. */
  insert(record: AuditEventRecord): Promise<boolean> {
    return insertUnlessDuplicate(this.events, record);
  }

  async existsByEventId(eventId: string): Promise<boolean> {
    return (await this.events.exists({ eventId }).exec()) !== null;
  }

  /** The chain's last event (highest `seq`), read on the unique (chain, seq) index. */
  lastOfChain(chain: string): Promise<AuditEventRecord | null> {
    return this.events
      .findOne({ chain })
      .sort({ chain: -1, seq: -1 })
      .lean<AuditEventRecord>()
      .exec();
  }

  /** Newest recorded first. */
  list(scope: AuditScope, filter: AuditEventFilter, limit: number): Promise<AuditEventRecord[]> {
    return this.events
      .find(toQuery(scope, filter))
      .sort({ _id: -1 })
      .limit(limit)
      .lean<AuditEventRecord[]>()
      .exec();
  }

  /** The same as `list`, one event at a time, for exports too big to hold at once. */
  stream(
    scope: AuditScope,
    filter: AuditEventFilter,
    limit: number,
  ): AsyncIterable<AuditEventRecord> {
    return this.events
      .find(toQuery(scope, filter))
      .sort({ _id: -1 })
      .limit(limit)
      .lean<AuditEventRecord>()
      .cursor({ batchSize: 500 });
  }

  /** A chain's events in order of `seq`. */
  chain(chain: string): AsyncIterable<AuditEventRecord> {
    return this.events
      .find({ chain })
      .sort({ chain: 1, seq: 1 })
      .lean<AuditEventRecord>()
      .cursor({ batchSize: 500 });
  }
}

function toQuery(scope: AuditScope, filter: AuditEventFilter): FilterQuery<AuditEventRecord> {
  const query: FilterQuery<AuditEventRecord> = {};
  if (scope.kind === 'console') query.consoleId = scope.consoleId;
  const sites = scope.kind === 'console' ? scope.siteIds : null;
  if (filter.siteId !== undefined) {
    query.siteId = sites === null || sites.includes(filter.siteId) ? filter.siteId : { $in: [] };
  } else if (sites !== null) {
    query.siteId = { $in: [...sites] };
  }
  if (filter.from !== undefined || filter.to !== undefined) {
    query.occurredAt = {
      ...(filter.from === undefined ? {} : { $gte: filter.from }),
      ...(filter.to === undefined ? {} : { $lt: filter.to }),
    };
  }
  if (filter.actorType !== undefined) query.actorType = filter.actorType;
  if (filter.actorId !== undefined) query.actorId = filter.actorId;
  if (filter.action !== undefined) query.action = filter.action;
  if (filter.targetType !== undefined) query.targetType = filter.targetType;
  if (filter.targetId !== undefined) query.targetId = filter.targetId;
  if (filter.outcome !== undefined) query.outcome = filter.outcome;
  if (filter.recordedBefore !== undefined) query._id = { $lt: filter.recordedBefore };
  return query;
}
