import { Injectable } from '@nestjs/common';
import {
  type Caller,
  type InputOf,
  inventoryEvents,
  type inventoryRpc,
  type ReplyOf,
} from '@warden/contracts';
import { AuditPublisher, EventPublisher } from '@warden/platform';
import { effectivePolicyOf } from '../endpoints/endpoint-status';
import { EndpointRepository } from '../endpoints/endpoint.repository';
import { GroupRepository } from '../groups/group.repository';
import { assertActsIn } from '../inventory.errors';

/**
 * Inventory's part of a policy's where-used and of its delete with a
 * replacement, asked by the policy service for a console it names (an
 * administrator's request passed on, or the system's).
 */
@Injectable()
export class PolicyUsageService {
  constructor(
    private readonly endpoints: EndpointRepository,
    private readonly groups: GroupRepository,
    private readonly audit: AuditPublisher,
    private readonly events: EventPublisher,
  ) {}

  /** Groups whose policy it is, and endpoints that name it themselves (own or captured site default). */
  async usage(
    caller: Caller,
    request: InputOf<typeof inventoryRpc.policyUsage>,
  ): Promise<ReplyOf<typeof inventoryRpc.policyUsage>> {
    const { consoleId } = request;
    assertActsIn(caller, consoleId);
    const policyId = request.policyId.toLowerCase();
    const [groups, endpoints] = await Promise.all([
      this.groups.listUsingPolicy(consoleId, policyId),
      this.endpoints.countReferencing(consoleId, policyId),
    ]);
    return {
      groups: groups.map((g) => ({ groupId: g._id, siteId: g.siteId, name: g.name })),
      endpoints,
    };
  }

  /**
   * Endpoints per effective policy. One `$group` by the three references
   * (own, group, captured site default) — a few rows however many endpoints
   * — then resolved against the console's groups here.
   */
  async endpointCounts(
    caller: Caller,
    { consoleId }: InputOf<typeof inventoryRpc.policyEndpointCounts>,
  ): Promise<ReplyOf<typeof inventoryRpc.policyEndpointCounts>> {
    assertActsIn(caller, consoleId);
    const [references, groups] = await Promise.all([
      this.endpoints.policyReferences(consoleId),
      this.groups.list(consoleId),
    ]);
    const groupPolicies = new Map(groups.map((g) => [g._id, g.policyId ?? null]));
    const counts: Record<string, number> = {};
    for (const reference of references) {
      const { policyId } = effectivePolicyOf(reference, groupPolicies);
      counts[policyId] = (counts[policyId] ?? 0) + reference.endpoints;
    }
    return { counts };
  }

  /**
   * Every group and endpoint reference to the policy moves to the
   * replacement: groups' policies, endpoints' own, and the site default they
   * captured at enrolment. Idempotent: a repeat finds nothing left to move,
   * changes nothing and publishes nothing.
   */
  async replace(
    caller: Caller,
    request: InputOf<typeof inventoryRpc.replacePolicy>,
  ): Promise<ReplyOf<typeof inventoryRpc.replacePolicy>> {
    const { consoleId } = request;
    assertActsIn(caller, consoleId);
    const policyId = request.policyId.toLowerCase();
    const replacementPolicyId = request.replacementPolicyId.toLowerCase();
    if (policyId === replacementPolicyId) return { groups: 0, endpoints: 0 };
    const audited = this.audit.prepare({
      caller,
      consoleId,
      siteId: null,
      action: 'policy.replaced',
      target: { type: 'policy', id: policyId },
      before: { policyId },
      after: { policyId: replacementPolicyId },
    });
    const changed = this.events.prepare(inventoryEvents.devicesChanged, {
      consoleId,
      deviceIds: null,
    });
    // Groups first: an endpoint following a group is then never left on the old policy.
    const groups = await this.groups.replacePolicy(consoleId, policyId, replacementPolicyId);
    const endpoints = await this.endpoints.replacePolicy(consoleId, policyId, replacementPolicyId);
    if (groups > 0 || endpoints > 0) {
      await this.events.publish(
        changed,
        this.audit.complete(audited, {
          before: { policyId },
          after: { policyId: replacementPolicyId, groups, endpoints },
        }),
      );
    }
    return { groups, endpoints };
  }
}
