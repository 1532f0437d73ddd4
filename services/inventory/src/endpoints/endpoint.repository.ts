import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { CheckinSeen, EndpointLifecycle } from '@warden/contracts';
import { insertUnlessDuplicate, MONGO_CONNECTION } from '@warden/platform';
import type { AnyBulkWriteOperation, Connection, FilterQuery, Model } from 'mongoose';
import { EndpointModel, type EndpointRecord } from './endpoint.model';

export type { EndpointRecord } from './endpoint.model';

/** What the console's table shows of an endpoint: everything but the token and the detections. */
export type EndpointRow = Omit<EndpointRecord, 'tokenSha256' | 'recentDetections' | 'hardwareKey'>;
const ROW_PROJECTION = { tokenSha256: 0, recentDetections: 0, hardwareKey: 0 } as const;

export type EndpointQuery = FilterQuery<EndpointRecord>;

/** What a device's credentials are made of (the gateway's check-in path). */
export interface CredentialsRow {
  _id: string;
  consoleId: string;
  siteId: string;
  tokenSha256: string;
  groupId: string;
  ownPolicyId: string | null;
  sitePolicyId: string;
  infectedSince?: Date | null;
}

/** The three references an effective policy is made of, and how many endpoints share them. */
export interface PolicyReferenceCount {
  ownPolicyId: string | null;
  groupId: string;
  sitePolicyId: string;
  endpoints: number;
}

export type EnrolmentChanges = Pick<
  EndpointRecord,
  | 'tokenSha256'
  | 'hostname'
  | 'hostnameLower'
  | 'osFamily'
  | 'osVersion'
  | 'osSort'
  | 'agentVersion'
  | 'lastSeenAt'
> &
  Partial<
    Pick<EndpointRecord, 'ip' | 'mac' | 'lifecycle' | 'groupId' | 'groupName' | 'groupNameLower'>
  >;

/** Past this many ids, `_id: {$in}` costs more than reading the console's endpoints. */
const IN_LIST_MAX = 500;
const TARGET_PROJECTION = { siteId: 1, hostname: 1, lifecycle: 1 } as const;
const FACTS_PROJECTION = {
  consoleId: 1,
  siteId: 1,
  hardwareKey: 1,
  hostname: 1,
  lifecycle: 1,
  lastSeenAt: 1,
} as const;
export type DeviceFactsRow = Pick<
  EndpointRecord,
  '_id' | 'consoleId' | 'siteId' | 'hardwareKey' | 'hostname' | 'lifecycle' | 'lastSeenAt'
>;
export type TargetRow = Pick<EndpointRecord, '_id' | 'siteId' | 'hostname' | 'lifecycle'>;
export type LifecycleRow = Pick<
  EndpointRecord,
  '_id' | 'consoleId' | 'siteId' | 'hostname' | 'lifecycle'
>;
export type StaleRow = Pick<EndpointRecord, '_id' | 'siteId' | 'hostname' | 'lastSeenAt'>;
export type SiteDeviceRow = Pick<
  EndpointRecord,
  '_id' | 'hardwareKey' | 'lifecycle' | 'enrolledAt'
>;

/** One lifecycle compare-and-set: the state it sets and what it stamps. */
export interface LifecycleChange {
  to: EndpointLifecycle;
  /** Unique per write: tells the endpoints this write changed. */
  id: string;
  at: Date;
  commandId?: string;
  /** More fields set with it (a deactivation's group and revoked token). */
  also?: Partial<Pick<EndpointRecord, 'groupId' | 'groupName' | 'groupNameLower' | 'tokenSha256'>>;
}

/** Above this many devices, `devicesChanged` names the whole console instead (DESIGN decision 8). */
export const DEVICE_LIST_LIMIT = 1000;

/**
 * Endpoints. Console-facing queries name the console first; the agent path
 * (credentials, check-ins, detections) goes by `_id` alone, the one index
 * mongo-java-server uses for certain (DESIGN §9).
 */
@Injectable()
export class EndpointRepository implements OnModuleInit {
  protected readonly endpoints: Model<EndpointRecord>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.endpoints = EndpointModel.on(connection);
  }

  async onModuleInit(): Promise<void> {
    await this.endpoints.createIndexes();
  }

  // The agent path.

  findByHardware(siteId: string, hardwareKey: string): Promise<EndpointRecord | null> {
    return this.endpoints
      .findOne({ siteId, hardwareKey }, { recentDetections: 0 })
      .lean<EndpointRecord>()
      .exec();
  }

  /** False when the site already has an endpoint with this hardware key (a concurrent enrolment). */
  insert(record: EndpointRecord): Promise<boolean> {
    return insertUnlessDuplicate(this.endpoints, record);
  }

  /** A re-enrolment: a new token (the old one stops working) and what the device reports now. */
  async reenrol(deviceId: string, changes: EnrolmentChanges): Promise<EndpointRecord | null> {
    const { lastSeenAt, ...rest } = changes;
    return this.endpoints
      .findOneAndUpdate(
        { _id: deviceId },
        { $set: rest, $max: { lastSeenAt } },
        { returnDocument: 'after', projection: { recentDetections: 0 } },
      )
      .lean<EndpointRecord>()
      .exec();
  }

  credentials(deviceId: string): Promise<CredentialsRow | null> {
    return this.endpoints
      .findById(deviceId, {
        consoleId: 1,
        siteId: 1,
        tokenSha256: 1,
        groupId: 1,
        ownPolicyId: 1,
        sitePolicyId: 1,
        infectedSince: 1,
      })
      .lean<CredentialsRow>()
      .exec();
  }

  /**
   * Every check-in of a gateway's batch in one unordered bulk write, by `_id`.
   * `lastSeenAt` only moves forward (`$max`), so batches arriving out of
   * order never move it back. A check-in reporting `ok` then clears the
   * infection if it was reported no later than the check-in was seen (a
   * buffered older "ok" never clears a newer infection).
   */
  async recordCheckins(checkins: readonly CheckinSeen[]): Promise<number> {
    // Every filter here is `_id` alone: on mongo-java-server any other
    // condition beside it scans the collection (measured: 2 ms a statement at
    // 10 000 endpoints, against 0.08 ms by `_id`).
    const seen: AnyBulkWriteOperation<EndpointRecord>[] = checkins.map((checkin) => ({
      updateOne: {
        filter: { _id: checkin.deviceId },
        update: {
          $max: { lastSeenAt: new Date(checkin.seenAt) },
          ...(checkin.ip !== undefined || checkin.agentVersion !== undefined
            ? {
                $set: {
                  ...(checkin.ip === undefined ? {} : { ip: checkin.ip }),
                  ...(checkin.agentVersion === undefined
                    ? {}
                    : { agentVersion: checkin.agentVersion }),
                },
              }
            : {}),
        },
      },
    }));
    const result = await this.endpoints.bulkWrite(seen, { ordered: false });
    await this.clearInfections(checkins.filter((checkin) => checkin.status === 'ok'));
    return Math.min(result.matchedCount, checkins.length);
  }

  /**
   * An `ok` ends an infection reported before it was seen. The gateway
   * passes `ok` on only after a change (or for a device on record as
   * infected), so this is rare; each clear is a compare-and-set on
   * `infectionReportedAt`, which a newer detection moves on.
   */
  private async clearInfections(oks: readonly CheckinSeen[]): Promise<void> {
    if (oks.length === 0) return;
    const infected = await this.endpoints
      .find(
        { _id: { $in: oks.map((ok) => ok.deviceId) } },
        { infectedSince: 1, infectionReportedAt: 1 },
      )
      .lean<Pick<EndpointRecord, '_id' | 'infectedSince' | 'infectionReportedAt'>[]>()
      .exec();
    const seenAt = new Map(oks.map((ok) => [ok.deviceId, new Date(ok.seenAt)]));
    const clears: AnyBulkWriteOperation<EndpointRecord>[] = [];
    for (const endpoint of infected) {
      const reportedAt = endpoint.infectionReportedAt ?? endpoint.infectedSince;
      const okAt = seenAt.get(endpoint._id);
      if (!reportedAt || !okAt || reportedAt > okAt) continue;
      clears.push({
        updateOne: {
          filter: {
            _id: endpoint._id,
            ...(endpoint.infectionReportedAt
              ? { infectionReportedAt: endpoint.infectionReportedAt }
              : { infectedSince: endpoint.infectedSince }),
          },
          update: { $unset: { infectedSince: '', infectionReportedAt: '' } },
        },
      });
    }
    if (clears.length > 0) await this.endpoints.bulkWrite(clears, { ordered: false });
  }

  /** Where a device belongs (the detections path). */
  placeOf(deviceId: string): Promise<{ consoleId: string; siteId: string } | null> {
    return this.endpoints
      .findById(deviceId, { _id: 0, consoleId: 1, siteId: 1 })
      .lean<{ consoleId: string; siteId: string }>()
      .exec();
  }

  /**
   * New detections' effect on the endpoint, in one write: the newest
   * detection time only rises, the start of an infection only moves earlier
   * (and when it was reported only later), and the detail page's list keeps
   * the newest 100.
   */
  async applyDetections(
    deviceId: string,
    effect: { lastInfectionAt: Date; infectedSince: Date | null; recent: readonly object[] },
  ): Promise<void> {
    await this.endpoints
      .updateOne(
        { _id: deviceId },
        {
          $max: {
            lastInfectionAt: effect.lastInfectionAt,
            ...(effect.infectedSince ? { infectionReportedAt: effect.infectedSince } : {}),
          },
          ...(effect.infectedSince ? { $min: { infectedSince: effect.infectedSince } } : {}),
          ...(effect.recent.length > 0
            ? { $push: { recentDetections: { $each: effect.recent, $slice: -100 } } }
            : {}),
        },
      )
      .exec();
  }

  // The console.

  findInConsole(consoleId: string, endpointId: string): Promise<EndpointRecord | null> {
    return this.endpoints
      .findOne({ _id: endpointId, consoleId }, { tokenSha256: 0 })
      .lean<EndpointRecord>()
      .exec();
  }

  /** A page of the table. */
  rows(
    consoleId: string,
    query: EndpointQuery,
    sort: Record<string, 1 | -1>,
    limit: number,
  ): Promise<EndpointRow[]> {
    return this.endpoints
      .find(inConsole(consoleId, query), ROW_PROJECTION)
      .sort(sort)
      .limit(limit)
      .lean<EndpointRow[]>()
      .exec();
  }

  count(consoleId: string, query: EndpointQuery): Promise<number> {
    return this.endpoints.countDocuments(inConsole(consoleId, query)).exec();
  }

  ids(consoleId: string, query: EndpointQuery): Promise<string[]> {
    return this.endpoints
      .find(inConsole(consoleId, query), { _id: 1 })
      .lean<{ _id: string }[]>()
      .exec()
      .then((rows) => rows.map((row) => row._id));
  }

  /** The endpoints matching `query` and the group each is in. */
  groupsOf(consoleId: string, query: EndpointQuery): Promise<{ _id: string; groupId: string }[]> {
    return this.endpoints
      .find(inConsole(consoleId, query), { _id: 1, groupId: 1 })
      .lean<{ _id: string; groupId: string }[]>()
      .exec();
  }

  /** Endpoints per group of one site. */
  async countByGroup(consoleId: string, siteId: string): Promise<Map<string, number>> {
    const rows = await this.endpoints
      .aggregate<{ _id: string; n: number }>([
        { $match: { consoleId, siteId } },
        { $group: { _id: '$groupId', n: { $sum: 1 } } },
      ])
      .exec();
    return new Map(rows.map((row) => [row._id, row.n]));
  }

  /** Moves the endpoints matching `query` into a group; how many moved. */
  async moveToGroup(
    consoleId: string,
    query: EndpointQuery,
    group: { _id: string; name: string },
  ): Promise<number> {
    const result = await this.endpoints
      .updateMany(inConsole(consoleId, { ...query, groupId: { $ne: group._id } }), {
        $set: {
          groupId: group._id,
          groupName: group.name,
          groupNameLower: group.name.toLowerCase(),
        },
      })
      .exec();
    return result.modifiedCount;
  }

  async renameGroup(consoleId: string, groupId: string, name: string): Promise<void> {
    await this.endpoints
      .updateMany(
        { consoleId, groupId },
        { $set: { groupName: name, groupNameLower: name.toLowerCase() } },
      )
      .exec();
  }

  /** The endpoint before the change, or null if the console has none with this id in the site. */
  setOwnPolicy(
    consoleId: string,
    siteId: string,
    endpointId: string,
    policyId: string | null,
  ): Promise<EndpointRow | null> {
    return this.endpoints
      .findOneAndUpdate(
        { _id: endpointId, consoleId, siteId },
        { $set: { ownPolicyId: policyId } },
        { returnDocument: 'before', projection: ROW_PROJECTION },
      )
      .lean<EndpointRow>()
      .exec();
  }

  /** How many endpoints share each (own, group, site) policy reference of the console. */
  async policyReferences(consoleId: string): Promise<PolicyReferenceCount[]> {
    const rows = await this.endpoints
      .aggregate<{
        _id: { ownPolicyId: string | null; groupId: string; sitePolicyId: string };
        n: number;
      }>([
        { $match: { consoleId } },
        {
          $group: {
            _id: {
              ownPolicyId: '$ownPolicyId',
              groupId: '$groupId',
              sitePolicyId: '$sitePolicyId',
            },
            n: { $sum: 1 },
          },
        },
      ])
      .exec();
    return rows.map((row) => ({
      ownPolicyId: row._id.ownPolicyId ?? null,
      groupId: row._id.groupId,
      sitePolicyId: row._id.sitePolicyId,
      endpoints: row.n,
    }));
  }

  /** Endpoints that name the policy themselves: as their own, or as their site's captured default. */
  countReferencing(consoleId: string, policyId: string): Promise<number> {
    return this.endpoints
      .countDocuments({ consoleId, $or: [{ ownPolicyId: policyId }, { sitePolicyId: policyId }] })
      .exec();
  }

  /** Every reference to `policyId` becomes `replacementId`; the endpoints changed. */
  async replacePolicy(consoleId: string, policyId: string, replacementId: string): Promise<number> {
    const operations: AnyBulkWriteOperation<EndpointRecord>[] = [
      {
        updateMany: {
          filter: { consoleId, ownPolicyId: policyId },
          update: { $set: { ownPolicyId: replacementId } },
        },
      },
      {
        updateMany: {
          filter: { consoleId, sitePolicyId: policyId },
          update: { $set: { sitePolicyId: replacementId } },
        },
      },
    ];
    const result = await this.endpoints.bulkWrite(operations, { ordered: false });
    return result.modifiedCount;
  }

  // The command service (issue 12). `consoleId` null: a system caller, every
  // console. On the local database any condition beside `_id` scans, and
  // `_id: {$in}` costs a scan per id (measured at 10 000 endpoints: 0.3 ms an
  // id, 2.9 s for 10 000): so one device is read by `_id` alone and its
  // console checked here; many are read with the console's endpoints.

  /** What the command service knows of a device; null if none (in this console). */
  async facts(consoleId: string | null, deviceId: string): Promise<DeviceFactsRow | null> {
    const row = await this.endpoints
      .findById(deviceId, FACTS_PROJECTION)
      .lean<DeviceFactsRow>()
      .exec();
    return row && (consoleId === null || row.consoleId === consoleId) ? row : null;
  }

  /** By the unique (siteId, hardwareKey) index. */
  factsByHardware(siteId: string, hardwareKey: string): Promise<DeviceFactsRow | null> {
    return this.endpoints
      .findOne({ siteId, hardwareKey }, FACTS_PROJECTION)
      .lean<DeviceFactsRow>()
      .exec();
  }

  /** The endpoints of a site (and more conditions) a command may go to, by id. */
  targets(consoleId: string, query: EndpointQuery): Promise<TargetRow[]> {
    return this.endpoints
      .find(inConsole(consoleId, query), TARGET_PROJECTION)
      .sort({ _id: 1 })
      .lean<TargetRow[]>()
      .exec();
  }

  /** Named endpoints of the console a command may go to, by id. */
  async targetsByIds(consoleId: string, deviceIds: readonly string[]): Promise<TargetRow[]> {
    const rows = await this.byIds<TargetRow & { consoleId: string }>(consoleId, deviceIds, {
      ...TARGET_PROJECTION,
      consoleId: 1,
    });
    return rows.sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
  }

  /** Where some devices are and their lifecycle. */
  lifecyclesOf(consoleId: string | null, deviceIds: readonly string[]): Promise<LifecycleRow[]> {
    return this.byIds<LifecycleRow>(consoleId, deviceIds, {
      consoleId: 1,
      siteId: 1,
      hostname: 1,
      lifecycle: 1,
    });
  }

  /**
   * Some devices (of one console, or any): a few by `_id: {$in}` alone, many
   * by reading the console's endpoints (10 000 of them: 0.4 s, against 2.9 s
   * by `$in`); either way the console is checked here.
   */
  private async byIds<Row extends { _id: string; consoleId: string }>(
    consoleId: string | null,
    deviceIds: readonly string[],
    projection: Record<string, 1>,
  ): Promise<Row[]> {
    const wanted = new Set(deviceIds);
    const few = deviceIds.length <= IN_LIST_MAX || consoleId === null;
    const rows = await this.endpoints
      .find(few ? { _id: { $in: deviceIds } } : { consoleId }, { ...projection, consoleId: 1 })
      .lean<Row[]>()
      .exec();
    return rows.filter(
      (row) => wanted.has(row._id) && (consoleId === null || row.consoleId === consoleId),
    );
  }

  /**
   * A compare-and-set of many endpoints' lifecycle: one `{_id, lifecycle}`
   * update each (the unique `lifecycle_cas` index answers it, DESIGN §9:
   * 10 000 in about 0.55 s, where one `updateMany` by `_id: {$in}` took
   * 6.6 s), in one unordered bulk write, each expecting the state it was read
   * in. The write is stamped with `change.id`; when it changed fewer than it
   * was given (another writer got some first), the ids it did change are
   * read back by that stamp.
   */
  async changeLifecycle(
    observed: readonly Pick<EndpointRecord, '_id' | 'lifecycle'>[],
    change: LifecycleChange,
  ): Promise<readonly string[]> {
    if (observed.length === 0) return [];
    const set = {
      lifecycle: change.to,
      lifecycleChangedAt: change.at,
      lifecycleChangeId: change.id,
      ...(change.commandId === undefined ? {} : { lifecycleCommandId: change.commandId }),
      ...change.also,
    };
    const result = await this.endpoints.bulkWrite(
      observed.map((row) => ({
        updateOne: { filter: { _id: row._id, lifecycle: row.lifecycle }, update: { $set: set } },
      })),
      { ordered: false },
    );
    if (result.modifiedCount === observed.length) return observed.map((row) => row._id);
    const changed = await this.endpoints
      .find({ lifecycleChangeId: change.id }, { _id: 1 })
      .lean<{ _id: string }[]>()
      .exec();
    return changed.map((row) => row._id);
  }

  /** Removes a device's endpoint by `_id`; false if already gone. */
  async retire(deviceId: string): Promise<boolean> {
    const result = await this.endpoints.deleteOne({ _id: deviceId }).exec();
    return result.deletedCount === 1;
  }

  /** Every console with endpoints (housekeeping: one scan). */
  consoleIds(): Promise<string[]> {
    return this.endpoints.distinct('consoleId').exec();
  }

  /**
   * Marks the console's active endpoints last seen before `notSeenBefore` and
   * not yet marked, in one write stamped `at`; the ones this write marked
   * (read back by the stamp, so a concurrent pass's are not counted twice).
   */
  async markStale(consoleId: string, notSeenBefore: Date, at: Date): Promise<StaleRow[]> {
    const result = await this.endpoints
      .updateMany(
        {
          consoleId,
          lifecycle: 'active',
          staleMarkedAt: null,
          lastSeenAt: { $lt: notSeenBefore },
        },
        { $set: { staleMarkedAt: at } },
      )
      .exec();
    if (result.modifiedCount === 0) return [];
    return this.endpoints
      .find({ consoleId, staleMarkedAt: at }, { siteId: 1, hostname: 1, lastSeenAt: 1 })
      .lean<StaleRow[]>()
      .exec();
  }

  /** Marked endpoints seen since the threshold (or no longer active): no longer stale. */
  async clearStale(consoleId: string, notSeenBefore: Date): Promise<number> {
    const result = await this.endpoints
      .updateMany(
        {
          consoleId,
          staleMarkedAt: { $ne: null },
          $or: [{ lastSeenAt: { $gte: notSeenBefore } }, { lifecycle: { $ne: 'active' } }],
        },
        { $unset: { staleMarkedAt: '' } },
      )
      .exec();
    return result.modifiedCount;
  }

  /** A site's endpoints by id (after `after`, at most `limit`), with what a seat lease is compared to. */
  siteDevices(
    consoleId: string | null,
    siteId: string,
    page: { after?: string; limit?: number },
  ): Promise<SiteDeviceRow[]> {
    const query = this.endpoints
      .find(
        {
          siteId,
          ...(consoleId === null ? {} : { consoleId }),
          ...(page.after === undefined ? {} : { _id: { $gt: page.after } }),
        },
        { hardwareKey: 1, lifecycle: 1, enrolledAt: 1 },
      )
      .sort({ _id: 1 });
    if (page.limit !== undefined) query.limit(page.limit);
    return query.lean<SiteDeviceRow[]>().exec();
  }

  /** The console of a site that has endpoints (inventory keeps no sites); null if it has none. */
  async consoleOfSite(siteId: string): Promise<string | null> {
    const row = await this.endpoints
      .findOne({ siteId }, { _id: 0, consoleId: 1 })
      .lean<{ consoleId: string }>()
      .exec();
    return row?.consoleId ?? null;
  }
}

/**
 * A console-facing query, always within one console: the repository adds the
 * console id itself, so no caller can forget it (tenant isolation by type).
 */
function inConsole(consoleId: string, query: EndpointQuery): EndpointQuery {
  return { $and: [{ consoleId }, query] };
}
