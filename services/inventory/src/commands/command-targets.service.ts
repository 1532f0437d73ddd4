import { Injectable } from '@nestjs/common';
import {
  type Caller,
  type CommandTarget,
  type CommandTargets,
  type EndpointLifecycle,
  type InputOf,
  type inventoryRpc,
} from '@warden/contracts';
import { assertMayChange, DomainError, tenantOf } from '@warden/platform';
import { ConsoleFacts } from '../endpoints/console-facts';
import {
  type EndpointQuery,
  EndpointRepository,
  type TargetRow,
} from '../endpoints/endpoint.repository';
import { EndpointService } from '../endpoints/endpoint.service';
import { GroupRepository } from '../groups/group.repository';
import { groupNotFound } from '../inventory.errors';
import { mayCommand } from './command-access';

/** Endpoints being deactivated, or deactivated, take no command (DESIGN §3 journey 11). */
const COMMANDABLE: ReadonlySet<EndpointLifecycle> = new Set(['active', 'removal_unverified']);

/**
 * Which endpoints a command goes to (a bulk's preview): always within the
 * caller's console and the sites it has `admin` on. A site or group named
 * outright must be one the caller may change (SITE_NOT_FOUND, FORBIDDEN,
 * GROUP_NOT_FOUND); a selection of endpoints just leaves out those it may
 * not command, counted in `skipped` with the unknown ones, so nothing of
 * another console or a hidden site is revealed.
 */
@Injectable()
export class CommandTargetService {
  constructor(
    private readonly endpoints: EndpointRepository,
    private readonly endpointTable: EndpointService,
    private readonly groups: GroupRepository,
    private readonly facts: ConsoleFacts,
  ) {}

  async resolve(
    caller: Caller,
    request: InputOf<typeof inventoryRpc.resolveCommandTargets>,
  ): Promise<CommandTargets> {
    const consoleId = tenantOf(caller);
    const { target, excludeSiteId, limit, after, pageSize } = request;
    let requestedIds: string[] | null = null;
    let rows: TargetRow[];
    if (target.kind === 'endpoints') {
      requestedIds = [...new Set(target.endpointIds.map((id) => id.toLowerCase()))];
      rows = await this.endpoints.targetsByIds(consoleId, requestedIds);
    } else {
      const query = await this.siteTargetQuery(caller, consoleId, target);
      rows = await this.endpoints.targets(consoleId, query);
    }
    const devices = rows
      .filter(
        (row) =>
          COMMANDABLE.has(row.lifecycle as EndpointLifecycle) &&
          mayCommand(caller, row.siteId) &&
          row.siteId !== excludeSiteId,
      )
      .map((row) => ({ deviceId: row._id, siteId: row.siteId, hostname: row.hostname }));
    if (devices.length > limit) {
      throw new DomainError(
        'COMMAND_TARGET_TOO_LARGE',
        `a command may reach at most ${limit} endpoints at once; narrow the selection`,
        { limit, count: devices.length },
      );
    }
    // Pages by device id (the rows come sorted so): a reply must stay under
    // NATS's 1 MiB per message.
    const start = after === undefined ? 0 : devices.findIndex((d) => d.deviceId > after);
    const page = start < 0 ? [] : devices.slice(start, start + pageSize);
    const last = page[page.length - 1];
    return {
      devices: page,
      skipped: (requestedIds?.length ?? rows.length) - devices.length,
      nextAfter: last && start + pageSize < devices.length ? last.deviceId : null,
    };
  }

  /** A group, a site or a filtered site: one the caller may change, of its console. */
  private async siteTargetQuery(
    caller: Caller,
    consoleId: string,
    target: Exclude<CommandTarget, { kind: 'endpoints' }>,
  ): Promise<EndpointQuery> {
    const { siteId } = target;
    assertMayChange(caller, siteId);
    switch (target.kind) {
      case 'site':
        await this.facts.notSeenBefore(consoleId, siteId); // SITE_NOT_FOUND unless the console's
        return { siteId };
      case 'group': {
        await this.facts.notSeenBefore(consoleId, siteId);
        const group = await this.groups.findInConsole(consoleId, target.groupId.toLowerCase());
        if (!group || group.siteId !== siteId) throw groupNotFound(target.groupId);
        return { siteId, groupId: group._id };
      }
      case 'filter':
        return {
          $and: [
            { siteId },
            ...(await this.endpointTable.filterParts(consoleId, target.filter, siteId)),
          ],
        };
    }
  }
}
