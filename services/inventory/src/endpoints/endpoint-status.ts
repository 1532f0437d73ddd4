import {
  type EffectivePolicy,
  ENDPOINT_STATUSES,
  type EndpointStatus,
  type PolicySource,
} from '@warden/contracts';
import type { EndpointQuery } from './endpoint.repository';

/** What status and effective policy are derived from. */
export interface StatusInputs {
  lifecycle: string;
  infectedSince?: Date | null;
  lastSeenAt: Date;
}

export interface PolicyInputs {
  ownPolicyId: string | null;
  groupId: string;
  sitePolicyId: string;
}

/** Group id → the group's policy (null: none). */
export type GroupPolicies = ReadonlyMap<string, string | null>;

/** Lifecycle states of issue 12; they take precedence over every other status. */
const LIFECYCLE_STATUSES: ReadonlySet<string> = new Set([
  'deactivation_pending',
  'deactivated',
  'removal_unverified',
]);

/**
 * DESIGN §2, in order of precedence: a lifecycle state, then `infected`, then
 * `not_seen_recently` (not seen since `notSeenBefore`), else `protected`.
 */
export function statusOf(endpoint: StatusInputs, notSeenBefore: Date): EndpointStatus {
  if (LIFECYCLE_STATUSES.has(endpoint.lifecycle)) return endpoint.lifecycle as EndpointStatus;
  if (endpoint.infectedSince) return 'infected';
  if (endpoint.lastSeenAt < notSeenBefore) return 'not_seen_recently';
  return 'protected';
}

/**
 * The endpoints of one status, as a query: exactly the endpoints `statusOf`
 * gives that status, so counting, filtering and sorting by status are plain
 * queries with no status stored.
 */
export function statusQuery(status: EndpointStatus, notSeenBefore: Date): EndpointQuery {
  switch (status) {
    case 'infected':
      return { lifecycle: 'active', infectedSince: { $ne: null } };
    case 'not_seen_recently':
      return { lifecycle: 'active', infectedSince: null, lastSeenAt: { $lt: notSeenBefore } };
    case 'protected':
      return { lifecycle: 'active', infectedSince: null, lastSeenAt: { $gte: notSeenBefore } };
    case 'deactivation_pending':
    case 'deactivated':
    case 'removal_unverified':
      return { lifecycle: status };
  }
}

export const STATUS_ORDER: readonly EndpointStatus[] = ENDPOINT_STATUSES;

/** Own › group › site (DESIGN decision 1). */
export function effectivePolicyOf(
  endpoint: PolicyInputs,
  groupPolicies: GroupPolicies,
): { policyId: string; source: PolicySource } {
  if (endpoint.ownPolicyId) return { policyId: endpoint.ownPolicyId, source: 'endpoint' };
  const groupPolicy = groupPolicies.get(endpoint.groupId);
  if (groupPolicy) return { policyId: groupPolicy, source: 'group' };
  return { policyId: endpoint.sitePolicyId, source: 'site' };
}

/**
 * The endpoints whose effective policy is `policyId`, as a query: their own,
 * or none of their own and their group's, or neither and their site's.
 */
export function effectivePolicyQuery(
  policyId: string,
  groupPolicies: GroupPolicies,
): EndpointQuery {
  const groupsWithIt: string[] = [];
  const groupsWithAny: string[] = [];
  for (const [groupId, groupPolicy] of groupPolicies) {
    if (!groupPolicy) continue;
    groupsWithAny.push(groupId);
    if (groupPolicy === policyId) groupsWithIt.push(groupId);
  }
  return {
    $or: [
      { ownPolicyId: policyId },
      ...(groupsWithIt.length > 0 ? [{ ownPolicyId: null, groupId: { $in: groupsWithIt } }] : []),
      { ownPolicyId: null, groupId: { $nin: groupsWithAny }, sitePolicyId: policyId },
    ],
  };
}

export function withName(
  effective: { policyId: string; source: PolicySource },
  names: ReadonlyMap<string, string>,
): EffectivePolicy {
  // A policy missing from the names (deleted meanwhile) still shows, by its id.
  return { ...effective, name: names.get(effective.policyId) ?? effective.policyId };
}
