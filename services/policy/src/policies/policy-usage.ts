import { Inject, Injectable } from '@nestjs/common';
import { type Caller, inventoryRpc, licensingRpc, type PolicyUsage } from '@warden/contracts';
import { NatsRpcClient } from '@warden/platform';

/** Groups and endpoints that use a policy: inventory's part of where-used. */
export interface EndpointPolicyUsage {
  /** Groups whose policy it is, and endpoints that have it as their own. */
  usage(consoleId: string, policyId: string): Promise<Pick<PolicyUsage, 'groups' | 'endpoints'>>;
  /** Endpoints whose effective policy each policy is (the list's "used by N endpoints"). */
  endpointCounts(consoleId: string): Promise<ReadonlyMap<string, number>>;
  /** Moves those groups and endpoints to `replacementPolicyId` (delete with a replacement). */
  moveUsers(
    caller: Caller,
    consoleId: string,
    policyId: string,
    replacementPolicyId: string,
  ): Promise<void>;
}

export const ENDPOINT_POLICY_USAGE = Symbol('ENDPOINT_POLICY_USAGE');

/** Where-used reads are the policy service's own questions, not the administrator's acts. */
const POLICY_SERVICE: Caller = { actor: { type: 'system', id: 'policy' } };

/** Inventory's groups and endpoints, asked over NATS. */
@Injectable()
export class InventoryPolicyUsage implements EndpointPolicyUsage {
  constructor(private readonly rpc: NatsRpcClient) {}

  usage(consoleId: string, policyId: string): Promise<Pick<PolicyUsage, 'groups' | 'endpoints'>> {
    return this.rpc.request(inventoryRpc.policyUsage, {
      caller: POLICY_SERVICE,
      consoleId,
      policyId,
    });
  }

  async endpointCounts(consoleId: string): Promise<ReadonlyMap<string, number>> {
    const { counts } = await this.rpc.request(inventoryRpc.policyEndpointCounts, {
      caller: POLICY_SERVICE,
      consoleId,
    });
    return new Map(Object.entries(counts));
  }

  /** Audited by inventory with the administrator who deleted the policy. */
  async moveUsers(
    caller: Caller,
    consoleId: string,
    policyId: string,
    replacementPolicyId: string,
  ): Promise<void> {
    await this.rpc.request(inventoryRpc.replacePolicy, {
      caller,
      consoleId,
      policyId,
      replacementPolicyId,
    });
  }
}

/**
 * Where a policy is used: sites whose default it is (licensing) and groups
 * and endpoints (inventory, `EndpointPolicyUsage`).
 */
@Injectable()
export class PolicyUsageSource {
  constructor(
    private readonly rpc: NatsRpcClient,
    @Inject(ENDPOINT_POLICY_USAGE) private readonly endpoints: EndpointPolicyUsage,
  ) {}

  async usage(caller: Caller, consoleId: string, policyId: string): Promise<PolicyUsage> {
    const [{ sites }, inventory] = await Promise.all([
      this.rpc.request(licensingRpc.sitesUsingPolicy, { caller, consoleId, policyId }),
      this.endpoints.usage(consoleId, policyId),
    ]);
    return { policyId, sites, ...inventory };
  }

  endpointCounts(consoleId: string): Promise<ReadonlyMap<string, number>> {
    return this.endpoints.endpointCounts(consoleId);
  }

  /**
   * Every user of `policyId` moves to the replacement: sites' defaults first
   * (so new endpoints get the replacement), then groups and endpoints. Each
   * step is idempotent: a retried delete repeats it harmlessly.
   */
  async moveUsers(
    caller: Caller,
    consoleId: string,
    policyId: string,
    replacementPolicyId: string,
  ): Promise<void> {
    await this.rpc.request(licensingRpc.replaceDefaultPolicy, {
      caller,
      consoleId,
      policyId,
      replacementPolicyId,
    });
    await this.endpoints.moveUsers(caller, consoleId, policyId, replacementPolicyId);
  }
}

export function isInUse(usage: PolicyUsage): boolean {
  return usage.sites.length > 0 || usage.groups.length > 0 || usage.endpoints > 0;
}
