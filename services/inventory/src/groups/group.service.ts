import { Injectable } from '@nestjs/common';
import {
  type Caller,
  type Group,
  type InputOf,
  inventoryEvents,
  type inventoryRpc,
  licensingRpc,
  policyRpc,
  type ReplyOf,
  type SystemGroup,
} from '@warden/contracts';
import {
  assertMayChange,
  assertMaySee,
  AuditPublisher,
  EventPublisher,
  NatsRpcClient,
  newId,
  tenantOf,
} from '@warden/platform';
import { DEVICE_LIST_LIMIT, EndpointRepository } from '../endpoints/endpoint.repository';
import { groupNameTaken, groupNotFound, groupSystemProtected } from '../inventory.errors';
import { type GroupRecord, GroupRepository } from './group.repository';

/**
 * Groups of a site (DESIGN §2, decision 4). Every site has a default group
 * (renamable, not deletable) and "Deactivated devices" (neither), made the
 * first time they are needed. Each change publishes an audit event with
 * before/after, and `devicesChanged` for the endpoints whose effective policy
 * may have changed.
 */
@Injectable()
export class GroupService {
  constructor(
    private readonly groups: GroupRepository,
    private readonly endpoints: EndpointRepository,
    private readonly rpc: NatsRpcClient,
    private readonly audit: AuditPublisher,
    private readonly events: EventPublisher,
  ) {}

  async list(
    caller: Caller,
    { siteId }: InputOf<typeof inventoryRpc.listGroups>,
  ): Promise<ReplyOf<typeof inventoryRpc.listGroups>> {
    const consoleId = tenantOf(caller);
    assertMaySee(caller, siteId);
    await this.ensureSiteGroups(caller, consoleId, siteId);
    const [groups, counts] = await Promise.all([
      this.groups.list(consoleId, [siteId]),
      this.endpoints.countByGroup(consoleId, siteId),
    ]);
    return {
      items: groups
        .sort((a, b) => systemRank(a) - systemRank(b))
        .map((group) => toGroupView(group, counts.get(group._id) ?? 0)),
    };
  }

  async create(caller: Caller, request: InputOf<typeof inventoryRpc.createGroup>): Promise<Group> {
    const consoleId = tenantOf(caller);
    const { siteId, name } = request;
    assertMayChange(caller, siteId);
    const policyId = request.policyId?.toLowerCase() ?? null;
    if (policyId) await this.assertPolicyExists(caller, consoleId, policyId);
    // The system groups first, so an administrator's group cannot take their names.
    await this.ensureSiteGroups(caller, consoleId, siteId);
    const now = new Date();
    const record: GroupRecord = {
      _id: newId(now.getTime()),
      consoleId,
      siteId,
      name,
      nameLower: name.toLowerCase(),
      system: null,
      policyId,
      createdAt: now,
      updatedAt: now,
    };
    const audited = this.audit.prepare({
      caller,
      consoleId,
      siteId,
      action: 'group.created',
      target: { type: 'group', id: record._id },
      after: { name, policyId },
    });
    if (!(await this.groups.insert(record))) throw groupNameTaken(name);
    await this.events.publish(audited);
    return toGroupView(record, 0);
  }

  /**
   * A new name (the endpoints' copy of it follows) and/or a policy of its own
   * (null: its endpoints follow their site's default). "Deactivated devices"
   * keeps its name and has no policy.
   */
  async update(caller: Caller, request: InputOf<typeof inventoryRpc.updateGroup>): Promise<Group> {
    const consoleId = tenantOf(caller);
    const { siteId, changes } = request;
    assertMayChange(caller, siteId);
    const current = await this.require(consoleId, siteId, request.groupId);
    if (current.system === 'deactivated') {
      throw groupSystemProtected(current._id, '"Deactivated devices" cannot be changed');
    }
    const policyId =
      changes.policyId === undefined ? undefined : (changes.policyId?.toLowerCase() ?? null);
    if (policyId) await this.assertPolicyExists(caller, consoleId, policyId);
    const renamed = changes.name !== undefined && changes.name !== current.name;
    const repoliced = policyId !== undefined && policyId !== (current.policyId ?? null);
    if (!renamed && !repoliced) return this.view(current);

    const set = {
      ...(renamed ? { name: changes.name!, nameLower: changes.name!.toLowerCase() } : {}),
      ...(repoliced ? { policyId } : {}),
    };
    const audited = this.audit.prepare({
      caller,
      consoleId,
      siteId,
      action: 'group.updated',
      target: { type: 'group', id: current._id },
      before: {
        ...(renamed ? { name: current.name } : {}),
        ...(repoliced ? { policyId: current.policyId ?? null } : {}),
      },
      after: {
        ...(renamed ? { name: changes.name } : {}),
        ...(repoliced ? { policyId } : {}),
      },
    });
    const members = repoliced ? await this.endpoints.ids(consoleId, { groupId: current._id }) : [];
    const changed = this.events.prepare(inventoryEvents.devicesChanged, {
      consoleId,
      deviceIds: members.length > DEVICE_LIST_LIMIT ? null : members,
    });
    const outcome = await this.groups.update(consoleId, current._id, set);
    if (outcome.kind === 'missing') throw groupNotFound(request.groupId);
    if (outcome.kind === 'name_taken') throw groupNameTaken(changes.name!);
    if (renamed) await this.endpoints.renameGroup(consoleId, current._id, changes.name!);
    await this.events.publish(audited, ...(repoliced && members.length > 0 ? [changed] : []));
    return this.view({ ...outcome.before, ...set });
  }

  /** Its endpoints go back to the site's default group; system groups stay. */
  async delete(
    caller: Caller,
    request: InputOf<typeof inventoryRpc.deleteGroup>,
  ): Promise<ReplyOf<typeof inventoryRpc.deleteGroup>> {
    const consoleId = tenantOf(caller);
    const { siteId } = request;
    assertMayChange(caller, siteId);
    const current = await this.require(consoleId, siteId, request.groupId);
    if (current.system !== null) {
      throw groupSystemProtected(current._id, 'a site’s system groups cannot be deleted');
    }
    const { default: defaultGroup } = await this.groups.ensureSystemGroups(consoleId, siteId);
    const members = await this.endpoints.ids(consoleId, { groupId: current._id });
    const prepared = [
      this.audit.prepare({
        caller,
        consoleId,
        siteId,
        action: 'group.deleted',
        target: { type: 'group', id: current._id },
        before: { name: current.name, policyId: current.policyId ?? null },
        after: { movedTo: defaultGroup._id, endpoints: members.length },
      }),
      ...(members.length > 0
        ? [
            this.events.prepare(inventoryEvents.devicesChanged, {
              consoleId,
              deviceIds: members.length > DEVICE_LIST_LIMIT ? null : members,
            }),
          ]
        : []),
    ];
    // Deleted first, so no move can pick it as a target any more; then every
    // endpoint still in it (including one moved in meanwhile) goes to the default.
    const deleted = await this.groups.delete(consoleId, current._id);
    if (!deleted) throw groupNotFound(request.groupId);
    const moved = await this.endpoints.moveToGroup(
      consoleId,
      { siteId, groupId: current._id },
      defaultGroup,
    );
    await this.events.publish(...prepared);
    return { movedEndpoints: moved };
  }

  private async require(consoleId: string, siteId: string, groupId: string): Promise<GroupRecord> {
    const group = await this.groups.findInConsole(consoleId, groupId.toLowerCase());
    if (!group || group.siteId !== siteId) throw groupNotFound(groupId);
    return group;
  }

  private async view(group: GroupRecord): Promise<Group> {
    const counts = await this.endpoints.countByGroup(group.consoleId, group.siteId);
    return toGroupView(group, counts.get(group._id) ?? 0);
  }

  /**
   * The system groups of a site of the caller's console. Licensing confirms
   * the site first (SITE_NOT_FOUND for another console's): the groups' ids
   * and names are per site, so groups must never be made for a site that is
   * not the console's.
   */
  private async ensureSiteGroups(
    caller: Caller,
    consoleId: string,
    siteId: string,
  ): Promise<Record<SystemGroup, GroupRecord>> {
    await this.rpc.request(licensingRpc.getSiteSettings, { caller, siteId });
    return this.groups.ensureSystemGroups(consoleId, siteId);
  }

  /** POLICY_NOT_FOUND unless a built-in or one of the console's policies. */
  private async assertPolicyExists(
    caller: Caller,
    consoleId: string,
    policyId: string,
  ): Promise<void> {
    await this.rpc.request(policyRpc.resolvePolicy, { caller, consoleId, policyId });
  }
}

/** The default group first, "Deactivated devices" last, the others by name between them. */
function systemRank(group: GroupRecord): number {
  if (group.system === 'default') return 0;
  if (group.system === 'deactivated') return 2;
  return 1;
}

export function toGroupView(group: GroupRecord, endpointCount: number): Group {
  return {
    id: group._id,
    siteId: group.siteId,
    name: group.name,
    system: (group.system ?? null) as SystemGroup | null,
    policyId: group.policyId ?? null,
    endpointCount,
    createdAt: group.createdAt.toISOString(),
  };
}
