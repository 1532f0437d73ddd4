import { AUDIT_EVENT_CONTRACTS } from '../audit/audit-sources';
import { defineEvent, defineRpc, type ParsedRequestOf } from '../contract';
import { eventMetaSchema } from '../event-meta';
import { idSchema } from '../ids';
import { z } from 'zod';
import {
  agentPolicySchema,
  copyPolicyRequestSchema,
  deletePolicyRequestSchema,
  diffPoliciesRequestSchema,
  getPolicyRequestSchema,
  listPoliciesRequestSchema,
  policyDetailSchema,
  policyDiffSchema,
  policyListSchema,
  policyNamesRequestSchema,
  policyNamesSchema,
  policyRefSchema,
  policyUsageSchema,
  resolvePolicyRequestSchema,
  updatePolicyRequestSchema,
} from './policy.schemas';

/** Policies of a console and the built-ins (DESIGN §2, §3 journeys 6–7, §8). */
export const policyRpc = {
  listPolicies: defineRpc('policy.policy.list.v1', listPoliciesRequestSchema, policyListSchema),
  /** The caller's console's policies' names (and the built-ins'), without usage counts. */
  policyNames: defineRpc('policy.policy.names.v1', policyNamesRequestSchema, policyNamesSchema),
  getPolicy: defineRpc('policy.policy.get.v1', getPolicyRequestSchema, policyDetailSchema),
  copyPolicy: defineRpc('policy.policy.copy.v1', copyPolicyRequestSchema, policyDetailSchema),
  updatePolicy: defineRpc('policy.policy.update.v1', updatePolicyRequestSchema, policyDetailSchema),
  deletePolicy: defineRpc('policy.policy.delete.v1', deletePolicyRequestSchema, z.object({})),
  policyUsage: defineRpc('policy.policy.usage.v1', policyRefSchema, policyUsageSchema),
  diffPolicies: defineRpc('policy.policy.diff.v1', diffPoliciesRequestSchema, policyDiffSchema),
  /** A policy as an agent applies it; built-ins for any console, others only for their own. */
  resolvePolicy: defineRpc(
    'policy.policy.resolve.v1',
    resolvePolicyRequestSchema,
    agentPolicySchema,
  ),
} as const;

export type PolicyRequest<K extends keyof typeof policyRpc> = ParsedRequestOf<
  (typeof policyRpc)[K]
>;

/** A policy's settings changed (or it was deleted): agents' cached copies are stale. */
export const policyChangedEventSchema = eventMetaSchema.extend({
  consoleId: idSchema,
  policyId: idSchema,
  /** The new version; absent when the policy was deleted. */
  version: z.number().int().positive().optional(),
  deleted: z.boolean(),
});

/** What policy publishes, durably on `WARDEN_POLICY` (docs/adr/0005). */
export const policyEvents = {
  auditRecorded: AUDIT_EVENT_CONTRACTS.policy,
  policyChanged: defineEvent('policy.policy.changed.v1', policyChangedEventSchema),
} as const;
