import { z } from 'zod';
import { callerSchema } from '../caller';
import { idSchema } from '../ids';
import { changesOf } from '../changes';
import { emailList, multilineText, nameText } from '../text';

export const CONSOLE_KINDS = ['trial', 'production'] as const;
export const CONSOLE_STATUSES = ['active', 'suspended'] as const;
export const SEAT_ENFORCEMENTS = ['hard', 'soft'] as const;
export const LANGUAGES = ['ja', 'en'] as const;

export const MAX_SEATS = 1_000_000;

/** Agents send any stable hardware identifier; we only compare it. */
export const hardwareKeySchema = z.string().trim().min(8).max(200);
export const seatsSchema = z.number().int().min(0).max(MAX_SEATS);
export const keycodeSchema = z.string().regex(/^[A-Z0-9]{4}(-[A-Z0-9]{4}){4}$/);

const displayName = nameText(200);
const siteComment = multilineText(1000);
const reportRecipients = emailList(10);

/** What a provider gives a new site. */
export const siteInputSchema = z.object({
  name: displayName,
  seats: seatsSchema,
  enforcement: z.enum(SEAT_ENFORCEMENTS).default('hard'),
  comment: siteComment.default(''),
  reportRecipients: reportRecipients.default([]),
});
export type SiteInput = z.input<typeof siteInputSchema>;

export const seatUsageSchema = z.object({
  seats: z.number().int(),
  used: z.number().int(),
  free: z.number().int(),
  /** Leases beyond the purchased seats (soft mode, or seats lowered below use). */
  overage: z.number().int(),
});
export type SeatUsage = z.infer<typeof seatUsageSchema>;

export const siteSchema = z.object({
  id: idSchema,
  consoleId: idSchema,
  name: z.string(),
  keycode: keycodeSchema,
  comment: z.string(),
  enforcement: z.enum(SEAT_ENFORCEMENTS),
  reportRecipients: z.array(z.string()),
  defaultPolicyId: idSchema.nullable(),
  usage: seatUsageSchema,
  createdAt: z.string().datetime(),
  updatedAt: z.string().datetime(),
});
export type Site = z.infer<typeof siteSchema>;

export const consoleSchema = z.object({
  id: idSchema,
  name: z.string(),
  kind: z.enum(CONSOLE_KINDS),
  status: z.enum(CONSOLE_STATUSES),
  trialEndsAt: z.string().datetime().nullable(),
  /** Derived: a trial whose end date has passed. */
  trialExpired: z.boolean(),
  language: z.enum(LANGUAGES),
  notSeenThresholdHours: z.number().int(),
  createdAt: z.string().datetime(),
  updatedAt: z.string().datetime(),
});
export type Console = z.infer<typeof consoleSchema>;

export const consoleDetailSchema = z.object({
  console: consoleSchema,
  sites: z.array(siteSchema),
  usage: seatUsageSchema,
});
export type ConsoleDetail = z.infer<typeof consoleDetailSchema>;

export const seatLeaseSchema = z.object({
  /** Derived from site and device, so a device has at most one lease per site. */
  id: z.string(),
  siteId: idSchema,
  consoleId: idSchema,
  hardwareKey: z.string(),
  slot: z.number().int().nonnegative(),
  overage: z.boolean(),
  claimedAt: z.string().datetime(),
});
export type SeatLease = z.infer<typeof seatLeaseSchema>;

/** The `Idempotency-Key` of a request: the same key has its effect once. */
export const idempotencyKeySchema = z.string().min(8).max(200);

export const createConsoleRequestSchema = z.object({
  caller: callerSchema,
  /** Same key, same console: a retried create has its effect once. */
  idempotencyKey: idempotencyKeySchema,
  name: displayName,
  kind: z.enum(CONSOLE_KINDS),
  /** Trial length; the service default applies when absent. */
  trialDays: z.number().int().min(1).max(365).optional(),
  language: z.enum(LANGUAGES).default('ja'),
  site: siteInputSchema,
});

export const consoleCommandSchema = z.object({ caller: callerSchema, consoleId: idSchema });

export const TRIAL_EXTENSION_MAX_DAYS = 365;

/** A trial runs `days` longer: from its end, or from now if it has ended. */
export const extendTrialRequestSchema = consoleCommandSchema.extend({
  days: z.number().int().min(1).max(TRIAL_EXTENSION_MAX_DAYS),
  /** Same key, one extension: a retried request has its effect once. */
  idempotencyKey: idempotencyKeySchema,
});

export const listConsolesRequestSchema = z.object({
  caller: callerSchema,
  status: z.enum(CONSOLE_STATUSES).optional(),
  kind: z.enum(CONSOLE_KINDS).optional(),
  name: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(200).default(50),
  /** Id of the last console of the previous page. */
  after: idSchema.optional(),
});

export const consoleListSchema = z.object({
  items: z.array(consoleSchema),
  nextAfter: idSchema.nullable(),
});

export const createSiteRequestSchema = siteInputSchema.extend({
  caller: callerSchema,
  consoleId: idSchema,
  /** Same key, same site: a retried create has its effect once. */
  idempotencyKey: idempotencyKeySchema,
});

export const siteRefSchema = z.object({ caller: callerSchema, siteId: idSchema });

/** What a provider may change on a site; seats change only this way (DESIGN §3.8). */
export const siteChangesSchema = changesOf({
  name: displayName,
  comment: siteComment,
  seats: seatsSchema,
  enforcement: z.enum(SEAT_ENFORCEMENTS),
  reportRecipients,
});

export const updateSiteRequestSchema = z.object({
  caller: callerSchema,
  siteId: idSchema,
  patch: siteChangesSchema,
});

export const rotateKeycodeRequestSchema = z.object({
  caller: callerSchema,
  siteId: idSchema,
  /** Same key, one rotation: a retried request has its effect once. */
  idempotencyKey: idempotencyKeySchema,
});

export const resolveKeycodeRequestSchema = z.object({
  caller: callerSchema,
  keycode: z.string().max(100),
});
export const resolvedKeycodeSchema = z.object({
  keycode: keycodeSchema,
  siteId: idSchema,
  consoleId: idSchema,
  /** What a device enrolling now gets (null: Recommended Defaults); existing ones keep theirs. */
  defaultPolicyId: idSchema.nullable(),
});

export const seatClaimRequestSchema = z.object({
  caller: callerSchema,
  siteId: idSchema,
  hardwareKey: hardwareKeySchema,
});
export const seatReleaseRequestSchema = seatClaimRequestSchema;
/** Enrolment's one call to licensing: the keycode's site (and its gate) and the device's seat there. */
export const enrolmentSeatRequestSchema = z.object({
  caller: callerSchema,
  keycode: z.string().max(100),
  hardwareKey: hardwareKeySchema,
});
export const enrolmentSeatSchema = z.object({
  site: resolvedKeycodeSchema,
  lease: seatLeaseSchema,
});
export const seatReleaseReplySchema = z.object({ released: z.boolean() });
export const seatMoveRequestSchema = z.object({
  caller: callerSchema,
  hardwareKey: hardwareKeySchema,
  fromSiteId: idSchema,
  toSiteId: idSchema,
});

// Console settings, as a console's super admins and site admins change them
// (console API). The console comes from the caller's token; seats and
// enforcement stay the provider's (ops API).

export const consoleSettingsChangesSchema = changesOf({
  name: displayName,
  language: z.enum(LANGUAGES),
  /** Hours without a check-in before an endpoint shows "not seen recently". */
  notSeenThresholdHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 365),
});

export const consoleSettingsRequestSchema = z.object({ caller: callerSchema });
export const updateConsoleSettingsRequestSchema = z.object({
  caller: callerSchema,
  patch: consoleSettingsChangesSchema,
});

export const siteSettingsChangesSchema = changesOf({
  name: displayName,
  comment: siteComment,
  reportRecipients,
  /** The policy new endpoints of the site get (DESIGN §3 journey 7): the console's or a built-in. */
  defaultPolicyId: idSchema,
});

export const updateSiteSettingsRequestSchema = z.object({
  caller: callerSchema,
  siteId: idSchema,
  patch: siteSettingsChangesSchema,
});

/** Policy asks: which sites of a console have this policy as their default. */
export const sitesUsingPolicyRequestSchema = z.object({
  caller: callerSchema,
  consoleId: idSchema,
  policyId: idSchema,
});
export const sitesUsingPolicySchema = z.object({
  sites: z.array(z.object({ siteId: idSchema, name: z.string() })),
});

/** Policy deletes a policy with a replacement: sites whose default it was get the replacement. */
export const replaceDefaultPolicyRequestSchema = sitesUsingPolicyRequestSchema.extend({
  replacementPolicyId: idSchema,
});
export const replaceDefaultPolicyReplySchema = z.object({ moved: z.number().int().nonnegative() });

// Housekeeping (the command service's jobs, issue 12).

/** Every site, page by page, with what the reconciliation and the report e-mail need. */
export const listAllSitesRequestSchema = z.object({
  caller: callerSchema,
  /** The previous page's `nextCursor`. */
  cursor: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(500).default(200),
});
export const housekeepingSiteSchema = z.object({
  siteId: idSchema,
  consoleId: idSchema,
  name: z.string(),
  consoleName: z.string(),
  consoleStatus: z.enum(CONSOLE_STATUSES),
  /** The console's language: the report e-mail's. */
  language: z.enum(LANGUAGES),
  reportRecipients: z.array(z.string()),
  usage: seatUsageSchema,
});
export type HousekeepingSite = z.infer<typeof housekeepingSiteSchema>;
export const housekeepingSitePageSchema = z.object({
  items: z.array(housekeepingSiteSchema),
  nextCursor: z.string().nullable(),
});

export const siteLeasesRequestSchema = z.object({ caller: callerSchema, siteId: idSchema });
/** Leases per page of `siteLeases`: a NATS message is at most 1 MiB (hardware keys up to 200 characters). */
export const SITE_LEASES_PAGE_MAX = 3_000;
export const siteLeasesPageRequestSchema = siteLeasesRequestSchema.extend({
  /** The previous page's `nextAfterSlot`. */
  afterSlot: z.number().int().nonnegative().optional(),
  /**
   * Pages by slot when given. Absent: every lease in one reply, which fails
   * (NATS max_payload) past a few thousand: callers should page.
   */
  pageSize: z.number().int().positive().max(SITE_LEASES_PAGE_MAX).optional(),
});
export const siteLeasesSchema = z.object({
  siteId: idSchema,
  seats: z.number().int(),
  /** How far slots may reach (ADR 0003); above `seats` after the seats were lowered. */
  slotRange: z.number().int(),
  leases: z.array(
    z.object({
      hardwareKey: z.string(),
      slot: z.number().int().nonnegative(),
      claimedAt: z.string().datetime(),
    }),
  ),
  /** Ask again with `afterSlot` set to this; null on the last page (always null without `pageSize`). */
  nextAfterSlot: z.number().int().nonnegative().nullable().default(null),
});
export type SiteLeases = z.infer<typeof siteLeasesSchema>;

/** Lowers `slotRange` to max(seats, highest occupied slot + 1) when no lease sits above (a compare-and-set). */
export const lowerSlotRangeReplySchema = z.object({
  slotRange: z.number().int(),
  lowered: z.boolean(),
});
