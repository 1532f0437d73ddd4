import { Injectable } from '@nestjs/common';
import {
  BUILTIN_POLICIES,
  type Caller,
  type LabelLanguage,
  licensingRpc,
  policyRpc,
} from '@warden/contracts';
import { DomainError, NatsRpcClient } from '@warden/platform';

/** Inventory asks licensing as itself: reading a console's settings is not the administrator's act. */
const INVENTORY: Caller = { actor: { type: 'system', id: 'inventory' } };

const builtinNames = (language: LabelLanguage): Map<string, string> =>
  new Map(BUILTIN_POLICIES.map((policy) => [policy.id, policy.name[language]]));

/** What the console's views need from the other services: the threshold and policy names. */
@Injectable()
export class ConsoleFacts {
  constructor(private readonly rpc: NatsRpcClient) {}

  /**
   * Endpoints last seen before this are "not seen recently": now minus the
   * console's `notSeenThresholdHours` (licensing's `getConsole`, which a
   * system caller may ask for any console). Given `siteId`, also checks that
   * the site is the console's, from the same reply (its sites): inventory
   * keeps no sites, and a super admin naming another console's site must get
   * SITE_NOT_FOUND, not an empty site.
   */
  async notSeenBefore(consoleId: string, siteId?: string, now = new Date()): Promise<Date> {
    const { console, sites } = await this.rpc.request(licensingRpc.getConsole, {
      caller: INVENTORY,
      consoleId,
    });
    if (siteId !== undefined && !sites.some((site) => site.id === siteId.toLowerCase())) {
      throw new DomainError('SITE_NOT_FOUND', 'no such site', { siteId });
    }
    return new Date(now.getTime() - console.notSeenThresholdHours * 3_600_000);
  }

  /**
   * Names of these policies: built-ins from the contracts; the console's own
   * with one `policyNames` (no usage counts: those would be computed by
   * inventory itself), asked only when one of them is not a built-in.
   */
  async policyNames(
    caller: Caller,
    policyIds: Iterable<string>,
    language: LabelLanguage,
  ): Promise<Map<string, string>> {
    const names = builtinNames(language);
    const needed = [...policyIds].some((id) => !names.has(id));
    if (!needed) return names;
    const { items } = await this.rpc.request(policyRpc.policyNames, { caller, language });
    for (const policy of items) names.set(policy.id, policy.name);
    return names;
  }
}
