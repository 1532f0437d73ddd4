import { Injectable } from '@nestjs/common';
import {
  type Caller,
  ENDPOINT_STATUSES,
  type EndpointDetail,
  type EndpointFilter,
  type EndpointPage,
  type EndpointSelection,
  type EndpointStatusCounts,
  type EndpointSummary,
  type InputOf,
  inventoryEvents,
  type LabelLanguage,
  type inventoryRpc,
  policyRpc,
  type ReplyOf,
} from '@warden/contracts';
import {
  assertMayChange,
  assertMaySee,
  AuditPublisher,
  EventPublisher,
  maySee,
  NatsRpcClient,
  tenantOf,
} from '@warden/platform';
import { GroupRepository } from '../groups/group.repository';
import {
  cursorInvalid,
  endpointNotFound,
  groupNotFound,
  groupSystemProtected,
} from '../inventory.errors';
import { ConsoleFacts } from './console-facts';
import {
  after,
  decodeCursor,
  encodeCursor,
  filterQuery,
  requestTag,
  sortClasses,
} from './endpoint-listing';
import { effectivePolicyOf, type GroupPolicies, statusQuery } from './endpoint-status';
import {
  DEVICE_LIST_LIMIT,
  type EndpointQuery,
  EndpointRepository,
  type EndpointRow,
} from './endpoint.repository';
import { toEndpointDetail, toEndpointSummary, type ViewContext } from './endpoint.view';

/**
 * The console's endpoints (DESIGN §3 journeys 9–10): the table, the counts,
 * the detail, a policy of their own and moves between groups. The console is
 * the caller's (`tenantOf`); site access is checked again here, and an
 * endpoint of another console, or of a site the caller may not see, reads as
 * ENDPOINT_NOT_FOUND.
 */
@Injectable()
export class EndpointService {
  constructor(
    private readonly endpoints: EndpointRepository,
    private readonly groups: GroupRepository,
    private readonly facts: ConsoleFacts,
    private readonly rpc: NatsRpcClient,
    private readonly audit: AuditPublisher,
    private readonly events: EventPublisher,
  ) {}

  async list(
    caller: Caller,
    request: InputOf<typeof inventoryRpc.listEndpoints>,
  ): Promise<EndpointPage> {
    const consoleId = tenantOf(caller);
    if (request.siteId) assertMaySee(caller, request.siteId);
    const scope = scopeOf(caller, consoleId, request.siteId);
    const tag = requestTag(request);
    const position = request.cursor ? decodeCursor(request.cursor, tag) : null;
    const [notSeenBefore, groupPolicies] = await Promise.all([
      this.facts.notSeenBefore(consoleId, request.siteId),
      this.groupPolicies(consoleId),
    ]);
    let policyNames: Map<string, string> | null = null;
    let policiesInOrder: string[] = [];
    if (request.sort === 'policy') {
      const ids = await this.effectivePolicyIds(consoleId, groupPolicies);
      policyNames = await this.facts.policyNames(caller, ids, request.language);
      const names = policyNames;
      policiesInOrder = [...ids].sort(
        (a, b) =>
          (names.get(a) ?? a).toLowerCase().localeCompare((names.get(b) ?? b).toLowerCase()) ||
          a.localeCompare(b),
      );
    }
    const base: EndpointQuery = {
      $and: [scope, ...filterQuery(request.filter, { notSeenBefore, groupPolicies })],
    };
    const classes = sortClasses(request.sort, request.order, {
      notSeenBefore,
      groupPolicies,
      policiesInOrder,
    });
    const first = position ? classes.findIndex((c) => c.key === position.classKey) : 0;
    // The cursor's class is gone (no endpoint has that policy any more): start again.
    if (first < 0) throw cursorInvalid();
    const direction = request.order === 'asc' ? 1 : -1;

    const totalCounted = this.endpoints.count(consoleId, base);
    const rows: { row: EndpointRow; index: number }[] = [];
    for (let index = first; index < classes.length && rows.length <= request.limit; index++) {
      const { query, field } = classes[index]!;
      const page = await this.endpoints.rows(
        consoleId,
        {
          $and: [
            base,
            query,
            ...(position && index === first ? [after(field, position, direction)] : []),
          ],
        },
        { [field]: direction, _id: direction },
        request.limit + 1 - rows.length,
      );
      rows.push(...page.map((row) => ({ row, index })));
    }
    const shown = rows.slice(0, request.limit);
    const last = shown[shown.length - 1];
    let nextCursor: string | null = null;
    if (rows.length > request.limit && last) {
      const { key, field } = classes[last.index]!;
      nextCursor = encodeCursor(tag, {
        classKey: key,
        value: (last.row as unknown as Record<string, string | Date>)[field]!,
        id: last.row._id,
      });
    }
    const names =
      policyNames ??
      (await this.facts.policyNames(
        caller,
        shown.map(({ row }) => effectivePolicyOf(row, groupPolicies).policyId),
        request.language,
      ));
    const context = { notSeenBefore, groupPolicies, policyNames: names };
    return {
      items: shown.map(({ row }) => toEndpointSummary(row, context)),
      nextCursor,
      total: await totalCounted,
    };
  }

  /** One count per status: each the exact query of `statusQuery`, so they add up to the total. */
  async statusCounts(
    caller: Caller,
    { siteId }: InputOf<typeof inventoryRpc.endpointStatusCounts>,
  ): Promise<EndpointStatusCounts> {
    const consoleId = tenantOf(caller);
    assertMaySee(caller, siteId);
    const notSeenBefore = await this.facts.notSeenBefore(consoleId, siteId);
    return this.countByStatus(consoleId, siteId, notSeenBefore);
  }

  /** A site's endpoints per derived status (the table's counts, the report e-mail's). */
  async countByStatus(
    consoleId: string,
    siteId: string,
    notSeenBefore: Date,
  ): Promise<EndpointStatusCounts> {
    const counted = await Promise.all(
      ENDPOINT_STATUSES.map((status) =>
        this.endpoints.count(consoleId, { siteId, ...statusQuery(status, notSeenBefore) }),
      ),
    );
    const counts = Object.fromEntries(
      ENDPOINT_STATUSES.map((status, i) => [status, counted[i]!]),
    ) as EndpointStatusCounts['counts'];
    return { siteId, total: counted.reduce((sum, n) => sum + n, 0), counts };
  }

  async get(
    caller: Caller,
    { endpointId, language }: InputOf<typeof inventoryRpc.getEndpoint>,
  ): Promise<EndpointDetail> {
    const consoleId = tenantOf(caller);
    const record = await this.endpoints.findInConsole(consoleId, endpointId.toLowerCase());
    if (!record || !maySee(caller, record.siteId)) throw endpointNotFound(endpointId);
    return toEndpointDetail(record, await this.viewContextOf(caller, consoleId, record, language));
  }

  /** The endpoint's own policy (null: it follows its group or site again). */
  async setPolicy(
    caller: Caller,
    request: InputOf<typeof inventoryRpc.setEndpointPolicy>,
  ): Promise<EndpointSummary> {
    const consoleId = tenantOf(caller);
    assertMayChange(caller, request.siteId);
    const endpointId = request.endpointId.toLowerCase();
    const policyId = request.policyId?.toLowerCase() ?? null;
    if (policyId) {
      // POLICY_NOT_FOUND unless a built-in or one of the console's.
      await this.rpc.request(policyRpc.resolvePolicy, { caller, consoleId, policyId });
    }
    const audited = this.audit.prepare({
      caller,
      consoleId,
      siteId: request.siteId,
      action: 'endpoint.policy-set',
      target: { type: 'endpoint', id: endpointId },
      after: { ownPolicyId: policyId },
    });
    const changed = this.events.prepare(inventoryEvents.devicesChanged, {
      consoleId,
      deviceIds: [endpointId],
    });
    const before = await this.endpoints.setOwnPolicy(
      consoleId,
      request.siteId,
      endpointId,
      policyId,
    );
    if (!before) throw endpointNotFound(request.endpointId);
    if ((before.ownPolicyId ?? null) !== policyId) {
      await this.events.publish(
        changed,
        this.audit.complete(audited, {
          before: { ownPolicyId: before.ownPolicyId ?? null },
          after: { ownPolicyId: policyId },
        }),
      );
    }
    const row = { ...before, ownPolicyId: policyId };
    return toEndpointSummary(
      row,
      await this.viewContextOf(caller, consoleId, row, request.language),
    );
  }

  /** What the view of one endpoint needs: its group's policy and the name of its effective policy. */
  private async viewContextOf(
    caller: Caller,
    consoleId: string,
    row: EndpointRow,
    language: LabelLanguage,
  ): Promise<ViewContext> {
    const [notSeenBefore, group] = await Promise.all([
      this.facts.notSeenBefore(consoleId),
      this.groups.policyOf(row.groupId),
    ]);
    const groupPolicies = new Map([[row.groupId, group?.policyId ?? null]]);
    const policyNames = await this.facts.policyNames(
      caller,
      [effectivePolicyOf(row, groupPolicies).policyId],
      language,
    );
    return { notSeenBefore, groupPolicies, policyNames };
  }

  /**
   * Moves endpoints of a site (by id, or every one matching a filter) into a
   * group of the same site. "Deactivated devices" is not a target: devices
   * get there by the deactivation command (issue 12).
   */
  async move(
    caller: Caller,
    request: InputOf<typeof inventoryRpc.moveEndpoints>,
  ): Promise<ReplyOf<typeof inventoryRpc.moveEndpoints>> {
    const consoleId = tenantOf(caller);
    const { siteId } = request;
    assertMayChange(caller, siteId);
    const target = await this.groups.findInConsole(consoleId, request.groupId.toLowerCase());
    if (!target || target.siteId !== siteId) throw groupNotFound(request.groupId);
    if (target.system === 'deactivated') {
      throw groupSystemProtected(
        target._id,
        'devices go to "Deactivated devices" by the deactivation command only',
      );
    }
    const selected = await this.selectionQuery(consoleId, request.selection);
    const query: EndpointQuery = {
      $and: [{ consoleId, siteId, groupId: { $ne: target._id } }, selected],
    };
    const before = await this.endpoints.groupsOf(consoleId, query);
    if (before.length === 0) return { moved: 0 };
    const ids = before.map((row) => row._id);
    const prepared = [
      this.events.prepare(inventoryEvents.devicesChanged, {
        consoleId,
        deviceIds: ids.length > DEVICE_LIST_LIMIT ? null : ids,
      }),
      this.audit.prepare({
        caller,
        consoleId,
        siteId,
        action: 'endpoint.moved',
        target: { type: 'group', id: target._id },
        before: { groups: countBy(before.map((row) => row.groupId)) },
        after: {
          groupId: target._id,
          endpoints: ids.length,
          endpointIds: ids.slice(0, DEVICE_LIST_LIMIT),
        },
      }),
    ];
    const moved = await this.endpoints.moveToGroup(
      consoleId,
      { siteId, _id: { $in: ids } },
      target,
    );
    await this.events.publish(...prepared);
    return { moved };
  }

  private async selectionQuery(
    consoleId: string,
    selection: EndpointSelection,
  ): Promise<EndpointQuery> {
    if (selection.kind === 'ids') {
      return { _id: { $in: selection.endpointIds.map((id) => id.toLowerCase()) } };
    }
    return { $and: [{}, ...(await this.filterParts(consoleId, selection.filter))] };
  }

  /**
   * The table's filter as query parts (with the console's threshold and its
   * groups' policies). Given `siteId`, SITE_NOT_FOUND unless the console's.
   */
  async filterParts(
    consoleId: string,
    filter: EndpointFilter,
    siteId?: string,
  ): Promise<EndpointQuery[]> {
    const [notSeenBefore, groupPolicies] = await Promise.all([
      this.facts.notSeenBefore(consoleId, siteId),
      this.groupPolicies(consoleId),
    ]);
    return filterQuery(filter, { notSeenBefore, groupPolicies });
  }

  private async groupPolicies(consoleId: string): Promise<GroupPolicies> {
    const groups = await this.groups.list(consoleId);
    return new Map(groups.map((group) => [group._id, group.policyId ?? null]));
  }

  /** Every policy that is some endpoint's effective policy in the console. */
  private async effectivePolicyIds(
    consoleId: string,
    groupPolicies: GroupPolicies,
  ): Promise<Set<string>> {
    const references = await this.endpoints.policyReferences(consoleId);
    return new Set(references.map((ref) => effectivePolicyOf(ref, groupPolicies).policyId));
  }
}

/** The console, narrowed to one site, or to the sites an `admin` account may see. */
function scopeOf(caller: Caller, consoleId: string, siteId: string | undefined): EndpointQuery {
  if (siteId) return { consoleId, siteId };
  if (caller.siteAccess === undefined) return { consoleId };
  return { consoleId, siteId: { $in: Object.keys(caller.siteAccess) } };
}

function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
