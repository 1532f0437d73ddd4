import { z } from 'zod';
import { callerSchema } from '../caller';
import { changesOf } from '../changes';
import { idSchema } from '../ids';
import { nameText } from '../text';
import { LANGUAGES } from '../licensing/licensing.schemas';
import {
  agentDetectionSchema,
  AGENT_STATUSES,
  agentVersionSchema,
  enrollBodySchema,
  OS_FAMILIES,
} from '../agent/agent-protocol';

/**
 * An endpoint's status, derived when it is read (DESIGN §2), never stored as
 * text. In order of precedence: the deactivation states (issue 12), then
 * `infected`, then `not_seen_recently`, else `protected`.
 */
export const ENDPOINT_STATUSES = [
  'protected',
  'infected',
  'not_seen_recently',
  'deactivation_pending',
  'deactivated',
  'removal_unverified',
] as const;
export type EndpointStatus = (typeof ENDPOINT_STATUSES)[number];

/** Where an endpoint's effective policy comes from: its own, its group's, or its site's default. */
export const POLICY_SOURCES = ['endpoint', 'group', 'site'] as const;
export type PolicySource = (typeof POLICY_SOURCES)[number];

/** Every site has these two groups; `deactivated` ("Deactivated devices") cannot be renamed or deleted. */
export const SYSTEM_GROUPS = ['default', 'deactivated'] as const;
export type SystemGroup = (typeof SYSTEM_GROUPS)[number];

export const groupNameSchema = nameText(100);

export const effectivePolicySchema = z.object({
  policyId: idSchema,
  name: z.string(),
  source: z.enum(POLICY_SOURCES),
});
export type EffectivePolicy = z.infer<typeof effectivePolicySchema>;

export const endpointSummarySchema = z.object({
  id: idSchema,
  siteId: idSchema,
  groupId: idSchema,
  groupName: z.string(),
  hostname: z.string(),
  os: z.object({ family: z.enum(OS_FAMILIES), version: z.string() }),
  agentVersion: z.string(),
  status: z.enum(ENDPOINT_STATUSES),
  policy: effectivePolicySchema,
  enrolledAt: z.string().datetime(),
  lastSeenAt: z.string().datetime(),
  lastInfectionAt: z.string().datetime().nullable(),
});
export type EndpointSummary = z.infer<typeof endpointSummarySchema>;

export const detectionSchema = agentDetectionSchema.omit({ id: true }).extend({
  /** Inventory's id, derived from the device and the agent's own id (a UUID). */
  id: idSchema,
  /** The agent's own id for it (any text, unique per agent). */
  agentDetectionId: z.string(),
  receivedAt: z.string().datetime(),
});
export type Detection = z.infer<typeof detectionSchema>;

export const endpointDetailSchema = endpointSummarySchema.extend({
  /** The endpoint's own policy, if an administrator set one (null: it follows its group or site). */
  ownPolicyId: idSchema.nullable(),
  ip: z.string().nullable(),
  mac: z.string().nullable(),
  /** Since when a detected threat is not remediated; null when none. */
  infectedSince: z.string().datetime().nullable(),
  /** The newest first, at most 100. */
  detections: z.array(detectionSchema),
});
export type EndpointDetail = z.infer<typeof endpointDetailSchema>;

export const ENDPOINT_SORT_KEYS = [
  'hostname',
  'group',
  'status',
  'os',
  'agentVersion',
  'policy',
  'lastSeenAt',
  'lastInfectionAt',
  'enrolledAt',
] as const;
export type EndpointSortKey = (typeof ENDPOINT_SORT_KEYS)[number];

/** Which endpoints of a site: the table's filters, also a bulk move's (and issue 12's bulk commands'). */
export const endpointFilterSchema = z
  .object({
    groupId: idSchema.optional(),
    status: z.array(z.enum(ENDPOINT_STATUSES)).min(1).max(ENDPOINT_STATUSES.length).optional(),
    /** The effective policy. */
    policyId: idSchema.optional(),
    /** A substring of the hostname, without regard to case. */
    q: z.string().trim().min(1).max(255).optional(),
  })
  .strict();
export type EndpointFilter = z.infer<typeof endpointFilterSchema>;

export const listEndpointsRequestSchema = z.object({
  caller: callerSchema,
  /** Absent: every site the caller may see. */
  siteId: idSchema.optional(),
  filter: endpointFilterSchema.default({}),
  sort: z.enum(ENDPOINT_SORT_KEYS).default('hostname'),
  order: z.enum(['asc', 'desc']).default('asc'),
  /** From the previous page's `nextCursor`, with the same filter and sort. */
  cursor: z.string().max(1000).optional(),
  limit: z.number().int().min(1).max(200).default(50),
  /** The language of the built-in policies' names. */
  language: z.enum(LANGUAGES).default('en'),
});
export const endpointPageSchema = z.object({
  items: z.array(endpointSummarySchema),
  /** Null on the last page. */
  nextCursor: z.string().nullable(),
  /** How many endpoints match the filter (every page). */
  total: z.number().int().nonnegative(),
});
export type EndpointPage = z.infer<typeof endpointPageSchema>;

export const siteRequestSchema = z.object({ caller: callerSchema, siteId: idSchema });
export const endpointStatusCountsSchema = z.object({
  siteId: idSchema,
  total: z.number().int().nonnegative(),
  counts: z.record(z.enum(ENDPOINT_STATUSES), z.number().int().nonnegative()),
});
export type EndpointStatusCounts = z.infer<typeof endpointStatusCountsSchema>;

export const endpointRequestSchema = z.object({
  caller: callerSchema,
  endpointId: idSchema,
  /** The language of the built-in policies' names. */
  language: z.enum(LANGUAGES).default('en'),
});

export const setEndpointPolicyRequestSchema = z.object({
  caller: callerSchema,
  siteId: idSchema,
  endpointId: idSchema,
  /** Null: the endpoint follows its group (or its site's default) again. */
  policyId: idSchema.nullable(),
  /** The language of the built-in policies' names. */
  language: z.enum(LANGUAGES).default('en'),
});

/** One endpoint, a selection, or every endpoint of the site matching a filter. */
export const endpointSelectionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ids'), endpointIds: z.array(idSchema).min(1).max(10_000) }).strict(),
  z.object({ kind: z.literal('filter'), filter: endpointFilterSchema }).strict(),
]);
export type EndpointSelection = z.infer<typeof endpointSelectionSchema>;

export const moveEndpointsRequestSchema = z.object({
  caller: callerSchema,
  siteId: idSchema,
  /** The target group, in the same site. */
  groupId: idSchema,
  selection: endpointSelectionSchema,
});
export const moveEndpointsReplySchema = z.object({ moved: z.number().int().nonnegative() });

export const groupSchema = z.object({
  id: idSchema,
  siteId: idSchema,
  name: z.string(),
  /** The site's default group or "Deactivated devices"; null for groups administrators made. */
  system: z.enum(SYSTEM_GROUPS).nullable(),
  /** The group's own policy; null: its endpoints follow the site's default. */
  policyId: idSchema.nullable(),
  endpointCount: z.number().int().nonnegative(),
  createdAt: z.string().datetime(),
});
export type Group = z.infer<typeof groupSchema>;
export const groupListSchema = z.object({ items: z.array(groupSchema) });

export const createGroupRequestSchema = z.object({
  caller: callerSchema,
  siteId: idSchema,
  name: groupNameSchema,
  policyId: idSchema.nullable().default(null),
});
export const groupChangesSchema = changesOf({
  name: groupNameSchema,
  policyId: idSchema.nullable(),
});
export const updateGroupRequestSchema = z.object({
  caller: callerSchema,
  siteId: idSchema,
  groupId: idSchema,
  changes: groupChangesSchema,
});
export const groupRequestSchema = z.object({
  caller: callerSchema,
  siteId: idSchema,
  groupId: idSchema,
});
export const deleteGroupReplySchema = z.object({
  /** Endpoints moved back to the site's default group. */
  movedEndpoints: z.number().int().nonnegative(),
});

// The agent path (the gateway's calls; the device is the caller).

export const enrollRequestSchema = enrollBodySchema.extend({
  caller: callerSchema,
  /** The device's address as the gateway saw it. */
  ip: z.string().max(100).optional(),
});
export const enrolledDeviceSchema = z.object({
  deviceId: idSchema,
  /** `<deviceId>.<secret>`, returned once; inventory keeps only the secret's SHA-256. */
  deviceToken: z.string(),
  consoleId: idSchema,
  siteId: idSchema,
  /** The effective policy's id (the gateway resolves its settings). */
  policyId: idSchema,
  /** The same device enrolled again (a re-install): same id, same seat, new token. */
  reinstalled: z.boolean(),
});
export type EnrolledDevice = z.infer<typeof enrolledDeviceSchema>;

export const deviceRequestSchema = z.object({ caller: callerSchema, deviceId: idSchema });
/** What the gateway caches to authenticate a device and answer its check-ins (ADR 0011). */
export const deviceCredentialsSchema = z.object({
  deviceId: idSchema,
  consoleId: idSchema,
  siteId: idSchema,
  /** SHA-256 (hex) of the token's secret part. */
  tokenSha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** The effective policy's id. */
  policyId: idSchema,
  /**
   * An unremediated detection is on record: the gateway passes the agent's
   * next `ok` on to inventory (and, when false, need not pass one at all).
   */
  infected: z.boolean(),
});
export type DeviceCredentials = z.infer<typeof deviceCredentialsSchema>;

/** One check-in, as the gateway batches them (last seen and the agent's reported state). */
export const checkinSeenSchema = z.object({
  deviceId: idSchema,
  seenAt: z.string().datetime(),
  ip: z.string().max(100).optional(),
  /** Sent when it differs from what this gateway last passed on for the device. */
  status: z.enum(AGENT_STATUSES).optional(),
  agentVersion: agentVersionSchema.optional(),
});
export type CheckinSeen = z.infer<typeof checkinSeenSchema>;
export const recordCheckinsRequestSchema = z.object({
  caller: callerSchema,
  checkins: z.array(checkinSeenSchema).min(1).max(5_000),
});
export const recordCheckinsReplySchema = z.object({
  /** Check-ins applied; the others named an endpoint that no longer exists. */
  applied: z.number().int().nonnegative(),
});

export const recordDetectionsRequestSchema = z.object({
  caller: callerSchema,
  deviceId: idSchema,
  detections: z.array(agentDetectionSchema).min(1).max(100),
});
export const recordDetectionsReplySchema = z.object({
  recorded: z.number().int().nonnegative(),
  /** Sent before (same agent-chosen id): stored once. */
  duplicates: z.number().int().nonnegative(),
});

// Policy's where-used and delete-with-replacement (the policy service asks).

export const policyUsageRequestSchema = z.object({
  caller: callerSchema,
  consoleId: idSchema,
  policyId: idSchema,
});
export const inventoryPolicyUsageSchema = z.object({
  groups: z.array(z.object({ groupId: idSchema, siteId: idSchema, name: z.string() })),
  /** Endpoints that have it as their own policy, or were given it as their site's default. */
  endpoints: z.number().int().nonnegative(),
});
export const policyEndpointCountsRequestSchema = z.object({
  caller: callerSchema,
  consoleId: idSchema,
});
export const policyEndpointCountsSchema = z.object({
  /** Policy id → endpoints whose effective policy it is. */
  counts: z.record(idSchema, z.number().int().nonnegative()),
});
export const replacePolicyRequestSchema = z.object({
  caller: callerSchema,
  consoleId: idSchema,
  policyId: idSchema,
  replacementPolicyId: idSchema,
});
export const replacePolicyReplySchema = z.object({
  groups: z.number().int().nonnegative(),
  endpoints: z.number().int().nonnegative(),
});

// Agent commands (issue 12): the command service asks.

/** `active` until a deactivation (DESIGN §2); the statuses of those states are the lifecycle's name. */
export const ENDPOINT_LIFECYCLES = [
  'active',
  'deactivation_pending',
  'removal_unverified',
  'deactivated',
] as const;
export type EndpointLifecycle = (typeof ENDPOINT_LIFECYCLES)[number];

/** What the command service knows of a device it commands. */
export const deviceFactsSchema = z.object({
  deviceId: idSchema,
  consoleId: idSchema,
  siteId: idSchema,
  hardwareKey: z.string(),
  hostname: z.string(),
  lifecycle: z.enum(ENDPOINT_LIFECYCLES),
  /** The newest check-in inventory has written (the gateway batches them by about a second). */
  lastSeenAt: z.string().datetime(),
});
export type DeviceFacts = z.infer<typeof deviceFactsSchema>;

export const deviceByHardwareKeyRequestSchema = z.object({
  caller: callerSchema,
  siteId: idSchema,
  hardwareKey: z.string().min(1).max(200),
});

/**
 * A command's endpoints, resolved with the caller's console and site access
 * (`admin` on the site: view-only administrators command nothing). Endpoints
 * of other consoles, of sites the caller may not command, unknown ones, and
 * those deactivated or being deactivated are left out and counted in
 * `skipped`; so are those already in `excludeSiteId` (a change of keycode
 * into their own site).
 */
/**
 * Which endpoints a command goes to: a selection (possibly across the
 * caller's sites), a group, a site, or a site's endpoints matching the
 * table's filter.
 */
export const commandTargetSchema = z.discriminatedUnion('kind', [
  z
    .object({ kind: z.literal('endpoints'), endpointIds: z.array(idSchema).min(1).max(10_000) })
    .strict(),
  z.object({ kind: z.literal('group'), siteId: idSchema, groupId: idSchema }).strict(),
  z.object({ kind: z.literal('site'), siteId: idSchema }).strict(),
  z.object({ kind: z.literal('filter'), siteId: idSchema, filter: endpointFilterSchema }).strict(),
]);
export type CommandTarget = z.infer<typeof commandTargetSchema>;

/** Devices per page of `resolveCommandTargets`: well below NATS's 1 MiB per message. */
export const COMMAND_TARGETS_PAGE_MAX = 5_000;

export const resolveCommandTargetsRequestSchema = z.object({
  caller: callerSchema,
  target: commandTargetSchema,
  excludeSiteId: idSchema.optional(),
  /** Refuse (COMMAND_TARGET_TOO_LARGE) rather than answer more than this. */
  limit: z.number().int().positive(),
  /**
   * The devices come in pages by device id, since a NATS message is at most
   * 1 MiB (`max_payload`), about 8 000 devices: this page starts after this id.
   */
  after: idSchema.optional(),
  pageSize: z
    .number()
    .int()
    .positive()
    .max(COMMAND_TARGETS_PAGE_MAX)
    .default(COMMAND_TARGETS_PAGE_MAX),
});
export const commandTargetsSchema = z.object({
  /** This page's devices, by device id. */
  devices: z.array(z.object({ deviceId: idSchema, siteId: idSchema, hostname: z.string() })),
  /** Of the whole target, whichever page. */
  skipped: z.number().int().nonnegative(),
  /** Ask again with `after` set to this for the next page; null on the last. */
  nextAfter: idSchema.nullable().default(null),
});
export type CommandTargets = z.infer<typeof commandTargetsSchema>;

/**
 * Moves endpoints between lifecycle states, each only from one of `from`
 * (a compare-and-set: the others are left as they are and not counted).
 * `deactivated` also moves the endpoint into "Deactivated devices" and
 * revokes its token. Each change is audited with the command that caused it.
 */
export const setLifecycleRequestSchema = z.object({
  caller: callerSchema,
  deviceIds: z.array(idSchema).min(1).max(50_000),
  from: z.array(z.enum(ENDPOINT_LIFECYCLES)).min(1),
  to: z.enum(ENDPOINT_LIFECYCLES),
  commandId: idSchema.optional(),
});
export const setLifecycleReplySchema = z.object({
  changed: z.number().int().nonnegative(),
});

/** A device that moved to another site (change keycode): its endpoint here is removed. */
export const retireEndpointRequestSchema = z.object({
  caller: callerSchema,
  deviceId: idSchema,
  movedTo: z.object({ siteId: idSchema, deviceId: idSchema }),
  commandId: idSchema,
});
export const retireEndpointReplySchema = z.object({ retired: z.boolean() });

/** Housekeeping: endpoints past their console's "not seen recently" threshold. */
export const markStaleRequestSchema = z.object({ caller: callerSchema });
export const markStaleReplySchema = z.object({
  /** Newly past the threshold (each audited once). */
  marked: z.number().int().nonnegative(),
  /** Seen again since they were marked. */
  cleared: z.number().int().nonnegative(),
});

/** Devices per page of `siteDevices`: a NATS message is at most 1 MiB (hardware keys up to 200 characters). */
export const SITE_DEVICES_PAGE_MAX = 3_000;

export const siteDevicesRequestSchema = siteRequestSchema.extend({
  /** The previous page's `nextAfter`. */
  after: idSchema.optional(),
  /**
   * Pages by device id when given. Absent: every device in one reply, which
   * fails (NATS max_payload) past a few thousand: callers should page.
   */
  pageSize: z.number().int().positive().max(SITE_DEVICES_PAGE_MAX).optional(),
});

/** Reconciliation of seat leases: every endpoint of a site, with what a lease is compared to. */
export const siteDevicesSchema = z.object({
  devices: z.array(
    z.object({
      deviceId: idSchema,
      hardwareKey: z.string(),
      lifecycle: z.enum(ENDPOINT_LIFECYCLES),
      enrolledAt: z.string().datetime(),
    }),
  ),
  /** Ask again with `after` set to this; null on the last page (always null without `pageSize`). */
  nextAfter: idSchema.nullable().default(null),
});

/** The report e-mail's inventory part. */
export const siteReportRequestSchema = z.object({
  caller: callerSchema,
  siteId: idSchema,
  /** Detections received since then are "new". */
  since: z.string().datetime(),
});
export const siteReportSchema = z.object({
  siteId: idSchema,
  total: z.number().int().nonnegative(),
  counts: z.record(z.enum(ENDPOINT_STATUSES), z.number().int().nonnegative()),
  newDetections: z.number().int().nonnegative(),
  /** The most frequent new threats, at most 10. */
  topThreats: z.array(z.object({ threatName: z.string(), count: z.number().int().positive() })),
});
export type SiteReport = z.infer<typeof siteReportSchema>;
