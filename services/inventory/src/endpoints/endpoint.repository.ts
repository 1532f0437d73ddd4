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
  Partial<Pick<EndpointRecord, 'ip' | 'mac'>>;

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

  // The command service (issue 12). `consoleId` null: a system caller, every console.

  /** What the command service knows of a device; null if none (in this console). */
  facts(consoleId: string | null, deviceId: string): Promise<DeviceFactsRow | null> {
    return this.endpoints
      .findOne(
        consoleId === null ? { _id: deviceId } : { _id: deviceId, consoleId },
        FACTS_PROJECTION,
      )
      .lean<DeviceFactsRow>()
      .exec();
  }

  /** By the unique (siteId, hardwareKey) index. */
  factsByHardware(siteId: string, hardwareKey: string): Promise<DeviceFactsRow | null> {
    return this.endpoints
      .findOne({ siteId, hardwareKey }, FACTS_PROJECTION)
      .lean<DeviceFactsRow>()
      .exec();
  }

  /** The endpoints a command may go to, with what decides whether it can take one. */
  targets(consoleId: string, query: EndpointQuery): Promise<TargetRow[]> {
    return this.endpoints
      .find(inConsole(consoleId, query), { siteId: 1, hostname: 1, lifecycle: 1 })
      .sort({ _id: 1 })
      .lean<TargetRow[]>()
      .exec();
  }

  /** Where some devices are and their lifecycle (one `_id: {$in}` read). */
  lifecyclesOf(consoleId: string | null, deviceIds: readonly string[]): Promise<LifecycleRow[]> {
    const byId = { _id: { $in: deviceIds } };
    return this.endpoints
      .find(consoleId === null ? byId : inConsole(consoleId, byId), {
        consoleId: 1,
        siteId: 1,
        hostname: 1,
        lifecycle: 1,
      })
      .lean<LifecycleRow[]>()
      .exec();
  }

  /**
   * A compare-and-set of many endpoints' lifecycle in one write: each moves
   * only from one of `from`. The write is stamped with `change.id`; the ids it
   * changed come back: when it changed fewer than it was given (another
   * writer got some first), they are read back by that stamp.
   */
  async changeLifecycle(
    deviceIds: readonly string[],
    from: readonly EndpointLifecycle[],
    change: LifecycleChange,
  ): Promise<readonly string[]> {
    if (deviceIds.length === 0) return [];
    // One statement for all: mongo-java-server scans once for `_id: {$in}`
    // beside another condition, rather than once per device (DESIGN §9).
    const result = await this.endpoints
      .updateMany(
        { _id: { $in: deviceIds }, lifecycle: { $in: from } },
        {
          $set: {
            lifecycle: change.to,
            lifecycleChangedAt: change.at,
            lifecycleChangeId: change.id,
            ...(change.commandId === undefined ? {} : { lifecycleCommandId: change.commandId }),
            ...change.also,
          },
        },
      )
      .exec();
    if (result.modifiedCount === deviceIds.length) return deviceIds;
    const changed = await this.endpoints
      .find({ _id: { $in: deviceIds }, lifecycleChangeId: change.id }, { _id: 1 })
      .lean<{ _id: string }[]>()
      .exec();
    return changed.map((row) => row._id);
  }

  /** Removes a device's endpoint; what it was, or null if already gone. */
  retire(consoleId: string | null, deviceId: string): Promise<DeviceFactsRow | null> {
    return this.endpoints
      .findOneAndDelete(consoleId === null ? { _id: deviceId } : { _id: deviceId, consoleId }, {
        projection: FACTS_PROJECTION,
      })
      .lean<DeviceFactsRow>()
      .exec();
  }

  /** Every console with endpoints (housekeeping: one scan). */
  consoleIds(): Promise<string[]> {
    return this.endpoints.distinct('consoleId').exec();
  }

  /** Active endpoints last seen before `notSeenBefore` and not yet marked stale. */
  staleUnmarked(consoleId: string, notSeenBefore: Date): Promise<StaleRow[]> {
    return this.endpoints
      .find(
        {
          consoleId,
          lifecycle: 'active',
          staleMarkedAt: null,
          lastSeenAt: { $lt: notSeenBefore },
        },
        { siteId: 1, hostname: 1, lastSeenAt: 1 },
      )
      .lean<StaleRow[]>()
      .exec();
  }

  /** Marks them stale unless another pass did; the ids this write marked. */
  async markStale(deviceIds: readonly string[], at: Date): Promise<readonly string[]> {
    if (deviceIds.length === 0) return [];
    const result = await this.endpoints
      .updateMany({ _id: { $in: deviceIds }, staleMarkedAt: null }, { $set: { staleMarkedAt: at } })
      .exec();
    if (result.modifiedCount === deviceIds.length) return deviceIds;
    const marked = await this.endpoints
      .find({ _id: { $in: deviceIds }, staleMarkedAt: at }, { _id: 1 })
      .lean<{ _id: string }[]>()
      .exec();
    return marked.map((row) => row._id);
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

  /** Every endpoint of a site, with what a seat lease is compared to. */
  siteDevices(consoleId: string | null, siteId: string): Promise<SiteDeviceRow[]> {
    return this.endpoints
      .find(consoleId === null ? { siteId } : { consoleId, siteId }, {
        hardwareKey: 1,
        lifecycle: 1,
        enrolledAt: 1,
      })
      .sort({ _id: 1 })
      .lean<SiteDeviceRow[]>()
      .exec();
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
