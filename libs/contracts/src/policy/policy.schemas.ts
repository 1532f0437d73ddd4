import { z } from 'zod';
import { callerSchema } from '../caller';
import { idSchema } from '../ids';
import { idempotencyKeySchema, LANGUAGES } from '../licensing/licensing.schemas';
import { changesOf } from '../changes';
import { multilineText, nameText } from '../text';
import {
  labelledSectionSchema,
  policySettingsPatchSchema,
  policySettingsSchema,
} from './policy-settings';

/** Names are unique per console without regard to case (DESIGN §2), built-ins' names included. */
export const policyNameSchema = nameText(100);
/** Required (DESIGN §2): what the policy is for. */
export const policyDescriptionSchema = multilineText(1000).refine(
  (text) => text.trim().length > 0,
  'must not be blank',
);

export const policySummarySchema = z.object({
  id: idSchema,
  name: z.string(),
  description: z.string(),
  builtin: z.boolean(),
  /** The agent keeps its local settings (the built-in Unmanaged). */
  unmanaged: z.boolean(),
  /** Monotonic; every change adds one. The HTTP ETag of the policy. */
  version: z.number().int().positive(),
  /** Endpoints whose effective policy this is (0 until endpoints exist, issue 11). */
  usedByEndpoints: z.number().int().nonnegative(),
  /** Null for built-ins. */
  updatedAt: z.string().datetime().nullable(),
});
export type PolicySummary = z.infer<typeof policySummarySchema>;

export const policyDetailSchema = policySummarySchema.extend({
  /** Null for built-ins (they belong to every console). */
  consoleId: idSchema.nullable(),
  settings: policySettingsSchema,
  /** The settings grouped by section, labelled in the language asked for. */
  sections: z.array(labelledSectionSchema),
  /** What agents compare on check-in (`settingsVersionTag`). */
  versionTag: z.string(),
  createdAt: z.string().datetime().nullable(),
});
export type PolicyDetail = z.infer<typeof policyDetailSchema>;

export const listPoliciesRequestSchema = z.object({
  caller: callerSchema,
  /** The language of the built-ins' names and descriptions. */
  language: z.enum(LANGUAGES).default('en'),
});
export const policyListSchema = z.object({
  /** Built-ins first (in their fixed order), then the console's by name. */
  items: z.array(policySummarySchema),
});

export const getPolicyRequestSchema = z.object({
  caller: callerSchema,
  policyId: idSchema,
  /** The labels' language; the caller's own when the gateway knows it. */
  language: z.enum(LANGUAGES).default('en'),
});

export const copyPolicyRequestSchema = z.object({
  caller: callerSchema,
  /** Same key, same copy: a retried copy makes one policy. */
  idempotencyKey: idempotencyKeySchema,
  sourcePolicyId: idSchema,
  name: policyNameSchema,
  description: policyDescriptionSchema,
  language: z.enum(LANGUAGES).default('en'),
});

export const policyChangesSchema = changesOf({
  name: policyNameSchema,
  description: policyDescriptionSchema,
  /** Any subset of sections and settings; strict: an unknown one is refused by name. */
  settings: policySettingsPatchSchema,
});

export const updatePolicyRequestSchema = z.object({
  caller: callerSchema,
  policyId: idSchema,
  /** The version the editor read (HTTP If-Match): another writer since → POLICY_VERSION_CONFLICT. */
  expectedVersion: z.number().int().positive(),
  patch: policyChangesSchema,
  language: z.enum(LANGUAGES).default('en'),
});

export const deletePolicyRequestSchema = z.object({
  caller: callerSchema,
  policyId: idSchema,
  /** Where its users go first; without one a policy in use is POLICY_IN_USE. */
  replacementPolicyId: idSchema.optional(),
});

export const policyRefSchema = z.object({ caller: callerSchema, policyId: idSchema });

export const policyUsageSchema = z.object({
  policyId: idSchema,
  /** Sites whose default endpoint policy it is. */
  sites: z.array(z.object({ siteId: idSchema, name: z.string() })),
  /** Groups that have it as their policy (issue 11). */
  groups: z.array(z.object({ groupId: idSchema, siteId: idSchema, name: z.string() })),
  /** Endpoints that have it as their own policy (issue 11). */
  endpoints: z.number().int().nonnegative(),
});
export type PolicyUsage = z.infer<typeof policyUsageSchema>;

export const diffPoliciesRequestSchema = z.object({
  caller: callerSchema,
  policyId: idSchema,
  otherPolicyId: idSchema,
  language: z.enum(LANGUAGES).default('en'),
});
export const policyDiffSchema = z.object({
  items: z.array(
    z.object({
      section: z.string(),
      setting: z.string(),
      path: z.string(),
      sectionLabel: z.string(),
      settingLabel: z.string(),
      a: z.union([z.boolean(), z.number(), z.string()]),
      b: z.union([z.boolean(), z.number(), z.string()]),
    }),
  ),
});

/** The settings an agent applies: what check-in sends when its version tag is stale. */
/** Names only, for views of other services that show which policy (inventory's table). */
export const policyNamesRequestSchema = z.object({
  caller: callerSchema,
  language: z.enum(LANGUAGES).default('en'),
});
export const policyNamesSchema = z.object({
  /** Built-ins first, then the console's; no usage counts (cheap to ask on every page). */
  items: z.array(z.object({ id: idSchema, name: z.string() })),
});

export const agentPolicySchema = z.object({
  policyId: idSchema,
  version: z.number().int().positive(),
  versionTag: z.string(),
  unmanaged: z.boolean(),
  settings: policySettingsSchema,
});
export type AgentPolicy = z.infer<typeof agentPolicySchema>;

/** Internal (licensing, inventory, the agent path): a policy of a console, or a built-in. */
export const resolvePolicyRequestSchema = z.object({
  caller: callerSchema,
  consoleId: idSchema,
  policyId: idSchema,
});
