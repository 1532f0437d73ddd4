import { Injectable } from '@nestjs/common';
import {
  type Caller,
  type DeviceFacts,
  type EndpointLifecycle,
  type InputOf,
  inventoryEvents,
  type inventoryRpc,
  type ReplyOf,
} from '@warden/contracts';
import {
  AuditPublisher,
  derivedEventId,
  EventPublisher,
  type PreparedEvent,
  newId,
} from '@warden/platform';
import { createHash, randomBytes } from 'node:crypto';
import {
  DEVICE_LIST_LIMIT,
  type DeviceFactsRow,
  EndpointRepository,
  type LifecycleChange,
  type LifecycleRow,
} from '../endpoints/endpoint.repository';
import { GroupRepository } from '../groups/group.repository';
import { endpointNotFound } from '../inventory.errors';
import { consoleScopeOf, mayCommand } from './command-access';

/**
 * What the command service changes on endpoints: their lifecycle (journey 11)
 * and the retirement of a device that moved to another site (journey 13),
 * plus the facts it reads about one device. An administrator's caller acts
 * in its own console and `admin` sites; the system's jobs act anywhere.
 */
@Injectable()
export class EndpointLifecycleService {
  constructor(
    private readonly endpoints: EndpointRepository,
    private readonly groups: GroupRepository,
    private readonly audit: AuditPublisher,
    private readonly events: EventPublisher,
  ) {}

  async deviceFacts(
    caller: Caller,
    { deviceId }: InputOf<typeof inventoryRpc.deviceFacts>,
  ): Promise<DeviceFacts> {
    const row = await this.endpoints.facts(consoleScopeOf(caller), deviceId.toLowerCase());
    if (!row) throw endpointNotFound(deviceId);
    return toDeviceFacts(row);
  }

  async deviceByHardwareKey(
    caller: Caller,
    { siteId, hardwareKey }: InputOf<typeof inventoryRpc.deviceByHardwareKey>,
  ): Promise<DeviceFacts> {
    const row = await this.endpoints.factsByHardware(siteId.toLowerCase(), hardwareKey);
    const scope = consoleScopeOf(caller);
    if (!row || (scope !== null && row.consoleId !== scope)) {
      throw endpointNotFound(`${siteId}/${hardwareKey}`);
    }
    return toDeviceFacts(row);
  }

  /**
   * A compare-and-set from `from` to `to` for many devices, one audit event
   * per endpoint changed (its id derived from the command, so a retried
   * call records each change once). `deactivated` also moves the endpoint
   * into its site's "Deactivated devices" — the one way into that group —
   * and replaces its token's hash with one of a secret nobody holds: the
   * gateways reload it on `devicesChanged` and answer the device 401.
   */
  async setLifecycle(
    caller: Caller,
    request: InputOf<typeof inventoryRpc.setLifecycle>,
  ): Promise<ReplyOf<typeof inventoryRpc.setLifecycle>> {
    const { from, to, commandId } = request;
    const deviceIds = [...new Set(request.deviceIds.map((id) => id.toLowerCase()))];
    const rows = await this.endpoints.lifecyclesOf(consoleScopeOf(caller), deviceIds);
    const candidates = rows.filter(
      (row) =>
        row.lifecycle !== to &&
        from.includes(row.lifecycle as EndpointLifecycle) &&
        mayCommand(caller, row.siteId),
    );
    if (candidates.length === 0) return { changed: 0 };
    const audits = new Map(
      candidates.map((row) => [row._id, this.lifecycleAudit(caller, row, to, commandId)]),
    );
    const change = { to, id: newId(), at: new Date(), ...(commandId ? { commandId } : {}) };
    const changed =
      to === 'deactivated'
        ? await this.deactivate(candidates, change)
        : await this.endpoints.changeLifecycle(candidates, change);
    const changedIds = new Set(changed);
    const changedRows = candidates.filter((row) => changedIds.has(row._id));
    const devicesChanged = to === 'deactivated' ? this.devicesChangedEvents(changedRows) : [];
    await this.events.publishIndependent([
      ...devicesChanged,
      ...changedRows.map((row) => audits.get(row._id)!),
    ]);
    return { changed: changedRows.length };
  }

  /**
   * A device that moved to another site (change keycode) leaves this one:
   * its endpoint here is deleted and its token stops working. Refused (not
   * retired) when `movedTo` is the endpoint itself.
   */
  async retire(
    caller: Caller,
    request: InputOf<typeof inventoryRpc.retireEndpoint>,
  ): Promise<ReplyOf<typeof inventoryRpc.retireEndpoint>> {
    const deviceId = request.deviceId.toLowerCase();
    const { movedTo, commandId } = request;
    const scope = consoleScopeOf(caller);
    if (movedTo.deviceId.toLowerCase() === deviceId) return { retired: false };
    const current = await this.endpoints.facts(scope, deviceId);
    if (!current) return { retired: false };
    const prepared = [
      this.events.prepare(inventoryEvents.devicesChanged, {
        consoleId: current.consoleId,
        deviceIds: [deviceId],
      }),
      this.audit.prepare({
        caller,
        consoleId: current.consoleId,
        siteId: current.siteId,
        action: 'endpoint.retired',
        target: { type: 'endpoint', id: deviceId },
        before: { siteId: current.siteId, hostname: current.hostname },
        after: { movedTo, commandId },
        eventId: derivedEventId(`${deviceId}:${commandId}:endpoint.retired`),
      }),
    ];
    if (!(await this.endpoints.retire(deviceId))) return { retired: false };
    await this.events.publish(...prepared);
    return { retired: true };
  }

  /** Per site: into its "Deactivated devices", with a token nobody holds. */
  private async deactivate(
    candidates: readonly LifecycleRow[],
    change: Omit<LifecycleChange, 'also'>,
  ): Promise<string[]> {
    const bySite = groupBy(candidates, (row) => row.siteId);
    const tokenSha256 = createHash('sha256').update(randomBytes(32)).digest('hex');
    const changed: string[] = [];
    for (const [siteId, rows] of bySite) {
      const { deactivated } = await this.groups.ensureSystemGroups(rows[0]!.consoleId, siteId);
      changed.push(
        ...(await this.endpoints.changeLifecycle(rows, {
          ...change,
          also: {
            groupId: deactivated._id,
            groupName: deactivated.name,
            groupNameLower: deactivated.nameLower,
            tokenSha256,
          },
        })),
      );
    }
    return changed;
  }

  private lifecycleAudit(
    caller: Caller,
    row: LifecycleRow,
    to: EndpointLifecycle,
    commandId: string | undefined,
  ) {
    return this.audit.prepare({
      caller,
      consoleId: row.consoleId,
      siteId: row.siteId,
      action: 'endpoint.lifecycle-changed',
      target: { type: 'endpoint', id: row._id },
      before: { lifecycle: row.lifecycle },
      after: { lifecycle: to, commandId: commandId ?? null, hostname: row.hostname },
      ...(commandId
        ? { eventId: derivedEventId(`${row._id}:${commandId}:lifecycle:${row.lifecycle}:${to}`) }
        : {}),
    });
  }

  /** Each console's gateways reload these devices (or all of it, past the list limit). */
  private devicesChangedEvents(rows: readonly LifecycleRow[]): PreparedEvent[] {
    return [...groupBy(rows, (row) => row.consoleId)].map(([consoleId, inConsole]) =>
      this.events.prepare(inventoryEvents.devicesChanged, {
        consoleId,
        deviceIds: inConsole.length > DEVICE_LIST_LIMIT ? null : inConsole.map((row) => row._id),
      }),
    );
  }
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

function toDeviceFacts(row: DeviceFactsRow): DeviceFacts {
  return {
    deviceId: row._id,
    consoleId: row.consoleId,
    siteId: row.siteId,
    hardwareKey: row.hardwareKey,
    hostname: row.hostname,
    lifecycle: row.lifecycle as EndpointLifecycle,
    lastSeenAt: row.lastSeenAt.toISOString(),
  };
}
