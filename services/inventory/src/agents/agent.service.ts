import { Injectable } from '@nestjs/common';
import {
  BUILTIN_POLICY_IDS,
  type Caller,
  type DeviceCredentials,
  type EnrolledDevice,
  type InputOf,
  inventoryEvents,
  type inventoryRpc,
  licensingRpc,
  type ReplyOf,
} from '@warden/contracts';
import {
  AuditPublisher,
  derivedEventId,
  EventPublisher,
  NatsRpcClient,
  newId,
} from '@warden/platform';
import { createHash, randomBytes } from 'node:crypto';
import { effectivePolicyOf } from '../endpoints/endpoint-status';
import { type EndpointRecord, EndpointRepository } from '../endpoints/endpoint.repository';
import { DetectionRepository } from '../endpoints/detection.repository';
import { type GroupRecord, GroupRepository } from '../groups/group.repository';
import { endpointNotFound } from '../inventory.errors';

/**
 * The agent path, called by the gateway: enrolment, the credentials the
 * gateway caches, batched check-ins and detections. Hot calls go by `_id`.
 */
@Injectable()
export class AgentService {
  constructor(
    private readonly endpoints: EndpointRepository,
    private readonly detections: DetectionRepository,
    private readonly groups: GroupRepository,
    private readonly rpc: NatsRpcClient,
    private readonly audit: AuditPublisher,
    private readonly events: EventPublisher,
  ) {}

  /**
   * Keycode → seat → endpoint (DESIGN decision 7), idempotent per (site,
   * hardwareKey): the same device enrolled again keeps its id and seat and
   * gets a new token (the old one stops working). No transactions, so the
   * steps are ordered to be retried safely; if the endpoint of a new device
   * cannot be written after its seat was claimed, the seat is released again
   * before the error goes back.
   */
  async enroll(
    caller: Caller,
    request: InputOf<typeof inventoryRpc.enroll>,
  ): Promise<EnrolledDevice> {
    const { keycode, hardwareKey, ip } = request;
    const { site } = await this.rpc.request(licensingRpc.claimSeatByKeycode, {
      caller,
      keycode,
      hardwareKey,
    });
    // A new device is the common case: its endpoint is inserted at once, and a
    // device enrolled before (a re-install, or a concurrent enrolment of the
    // same device) is recognised by the unique (site, hardwareKey) index.
    let written = false;
    try {
      const { default: defaultGroup } = await this.groups.ensureSystemGroups(
        site.consoleId,
        site.siteId,
      );
      const now = new Date();
      const inserted = await this.insertNew(caller, request, site, defaultGroup, now);
      if (inserted) {
        written = true;
        await this.events.publish(...inserted.events);
        return await this.reply(inserted.record, inserted.token, false, defaultGroup.policyId);
      }
      // The same device again, or a concurrent enrolment of it that inserted first.
      const current = await this.endpoints.findByHardware(site.siteId, hardwareKey);
      if (!current) throw new Error('an endpoint refused as a duplicate could not be found');
      written = true; // It exists, and holds the seat, whatever happens next.
      const { token, tokenSha256 } = newDeviceToken(current._id);
      const prepared = [
        ...this.enrolledEvents(caller, current, true, now),
        this.events.prepare(inventoryEvents.devicesChanged, {
          consoleId: current.consoleId,
          deviceIds: [current._id],
        }),
      ];
      const endpoint = await this.endpoints.reenrol(current._id, {
        ...reportedBy(request, now),
        tokenSha256,
        ...(ip === undefined ? {} : { ip }),
        ...(request.mac === undefined ? {} : { mac: request.mac }),
        // Installed again after its removal was verified: it holds a seat
        // again (claimed above), so it is active again, back in the default
        // group (else the seat reconciliation would free its seat).
        ...(current.lifecycle === 'deactivated'
          ? {
              lifecycle: 'active',
              groupId: defaultGroup._id,
              groupName: defaultGroup.name,
              groupNameLower: defaultGroup.nameLower,
            }
          : {}),
      });
      if (!endpoint) throw endpointNotFound(current._id);
      await this.events.publish(...prepared);
      return await this.reply(endpoint, token, true);
    } catch (error) {
      if (!written) await this.releaseUnlessEnrolled(caller, site.siteId, hardwareKey);
      throw error;
    }
  }

  /** A new device's endpoint, in the site's default group; null if the device has one already. */
  private async insertNew(
    caller: Caller,
    request: InputOf<typeof inventoryRpc.enroll>,
    site: ReplyOf<typeof licensingRpc.resolveKeycode>,
    defaultGroup: GroupRecord,
    now: Date,
  ) {
    const deviceId = newId(now.getTime());
    const { token, tokenSha256 } = newDeviceToken(deviceId);
    const record: EndpointRecord = {
      _id: deviceId,
      consoleId: site.consoleId,
      siteId: site.siteId,
      hardwareKey: request.hardwareKey,
      ...reportedBy(request, now),
      tokenSha256,
      ip: request.ip ?? null,
      mac: request.mac ?? null,
      groupId: defaultGroup._id,
      groupName: defaultGroup.name,
      groupNameLower: defaultGroup.nameLower,
      ownPolicyId: null,
      sitePolicyId: site.defaultPolicyId ?? BUILTIN_POLICY_IDS.recommended_defaults,
      lifecycle: 'active',
      enrolledAt: now,
      lastInfectionAt: null,
      recentDetections: [],
    };
    // Prepared before the write (validated), published after it.
    const events = this.enrolledEvents(caller, record, false, now);
    if (!(await this.endpoints.insert(record))) return null;
    return { record, token, events };
  }

  /** What the gateway caches per device: the token's hash and the effective policy. */
  async credentials(
    _caller: Caller,
    { deviceId }: InputOf<typeof inventoryRpc.deviceCredentials>,
  ): Promise<DeviceCredentials> {
    const row = await this.endpoints.credentials(deviceId.toLowerCase());
    if (!row) throw endpointNotFound(deviceId);
    const groupPolicy = row.ownPolicyId ? null : await this.groups.policyOf(row.groupId);
    const { policyId } = effectivePolicyOf(
      row,
      new Map([[row.groupId, groupPolicy?.policyId ?? null]]),
    );
    return {
      deviceId: row._id,
      consoleId: row.consoleId,
      siteId: row.siteId,
      tokenSha256: row.tokenSha256,
      policyId,
      infected: Boolean(row.infectedSince),
    };
  }

  /** A gateway's batch of last-seen times: one bulk write, no events (it is not a change of state). */
  async recordCheckins(
    _caller: Caller,
    { checkins }: InputOf<typeof inventoryRpc.recordCheckins>,
  ): Promise<ReplyOf<typeof inventoryRpc.recordCheckins>> {
    return { applied: await this.endpoints.recordCheckins(checkins) };
  }

  /**
   * Detections, stored once each (a repeat is refused by its derived `_id`),
   * then their effect on the endpoint: the newest detection time, and for
   * one only detected (not remediated) the start of the infection. The
   * agent retries on failure; the dedupe makes that safe.
   */
  async recordDetections(
    _caller: Caller,
    { deviceId, detections }: InputOf<typeof inventoryRpc.recordDetections>,
  ): Promise<ReplyOf<typeof inventoryRpc.recordDetections>> {
    const place = await this.endpoints.placeOf(deviceId);
    if (!place) throw endpointNotFound(deviceId);
    const receivedAt = new Date();
    const records = detections.map((detection) => ({
      _id: detectionId(deviceId, detection.id),
      consoleId: place.consoleId,
      siteId: place.siteId,
      deviceId,
      agentDetectionId: detection.id,
      threatName: detection.threatName,
      path: detection.path,
      hash: detection.hash,
      actionTaken: detection.actionTaken,
      detectedAt: new Date(detection.detectedAt),
      receivedAt,
    }));
    const recorded = await this.detections.insertNew(records);
    const fresh = records.filter((record) => recorded.has(record._id));
    const lastInfectionAt = new Date(
      Math.max(...records.map((record) => record.detectedAt.getTime())),
    );
    // Only a new unremediated detection starts an infection: a repeat sent
    // after an "ok" check-in must not bring back an infection already cleared.
    const infects = fresh.some((record) => record.actionTaken === 'detected');
    await this.endpoints.applyDetections(deviceId, {
      lastInfectionAt,
      infectedSince: infects ? receivedAt : null,
      recent: fresh.map(({ consoleId: _c, siteId: _s, deviceId: _d, ...kept }) => kept),
    });
    // Every gateway reloads the device, learning it is infected: whichever
    // copy answers its next `ok` passes it on (rare: only new infections).
    if (infects) {
      await this.events.publish(
        this.events.prepare(inventoryEvents.devicesChanged, {
          consoleId: place.consoleId,
          deviceIds: [deviceId],
        }),
      );
    }
    return { recorded: fresh.length, duplicates: records.length - fresh.length };
  }

  private enrolledEvents(caller: Caller, endpoint: EndpointRecord, reinstalled: boolean, at: Date) {
    const device: Caller = {
      actor: { type: 'device', id: endpoint._id },
      consoleId: endpoint.consoleId,
      ...(caller.sourceIp === undefined ? {} : { sourceIp: caller.sourceIp }),
    };
    return [
      this.events.prepare(inventoryEvents.endpointEnrolled, {
        consoleId: endpoint.consoleId,
        siteId: endpoint.siteId,
        deviceId: endpoint._id,
        hostname: endpoint.hostname,
        reinstalled,
      }),
      this.audit.prepare({
        caller: device,
        consoleId: endpoint.consoleId,
        siteId: endpoint.siteId,
        action: reinstalled ? 'endpoint.re-enrolled' : 'endpoint.enrolled',
        target: { type: 'endpoint', id: endpoint._id },
        after: {
          hostname: endpoint.hostname,
          os: { family: endpoint.osFamily, version: endpoint.osVersion },
          agentVersion: endpoint.agentVersion,
        },
        occurredAt: at,
      }),
    ];
  }

  /** `groupPolicyId`: the endpoint's group's policy, when the caller has just read the group. */
  private async reply(
    endpoint: EndpointRecord,
    deviceToken: string,
    reinstalled: boolean,
    groupPolicyId?: string | null,
  ): Promise<EnrolledDevice> {
    const groupPolicy =
      groupPolicyId !== undefined || endpoint.ownPolicyId
        ? (groupPolicyId ?? null)
        : ((await this.groups.policyOf(endpoint.groupId))?.policyId ?? null);
    const { policyId } = effectivePolicyOf(endpoint, new Map([[endpoint.groupId, groupPolicy]]));
    return {
      deviceId: endpoint._id,
      deviceToken,
      consoleId: endpoint.consoleId,
      siteId: endpoint.siteId,
      policyId,
      reinstalled,
    };
  }

  /**
   * The seat of a device whose endpoint could not be written goes back,
   * unless a concurrent enrolment of the same device did write it (then the
   * seat is that endpoint's). Best effort: a release that fails leaves a
   * seat to reclaim, never a second error for the agent.
   */
  private async releaseUnlessEnrolled(
    caller: Caller,
    siteId: string,
    hardwareKey: string,
  ): Promise<void> {
    try {
      // Not known (the database failed too): the seat stays; a lease without an
      // endpoint is what reconciliation repairs, an endpoint without one is worse.
      const enrolled = await this.endpoints.findByHardware(siteId, hardwareKey);
      if (enrolled) return;
      await this.rpc.request(licensingRpc.releaseSeat, { caller, siteId, hardwareKey });
    } catch {
      // The original error is what the caller needs to see.
    }
  }
}

/** `<deviceId>.<secret>`: 32 random bytes; only the secret's SHA-256 is kept. */
function newDeviceToken(deviceId: string): { token: string; tokenSha256: string } {
  const secret = randomBytes(32).toString('base64url');
  return {
    token: `${deviceId}.${secret}`,
    tokenSha256: createHash('sha256').update(secret).digest('hex'),
  };
}

/** What the device reports about itself at every enrolment. */
function reportedBy(request: InputOf<typeof inventoryRpc.enroll>, now: Date) {
  return {
    hostname: request.hostname,
    hostnameLower: request.hostname.toLowerCase(),
    osFamily: request.os.family,
    osVersion: request.os.version,
    osSort: `${request.os.family} ${request.os.version}`.toLowerCase(),
    agentVersion: request.agentVersion,
    lastSeenAt: now,
  };
}

/** The same (device, agent's id) always gives the same id, so a repeat is refused by `_id`. */
export function detectionId(deviceId: string, agentDetectionId: string): string {
  return derivedEventId(`inventory:detection:${deviceId}:${agentDetectionId}`);
}
