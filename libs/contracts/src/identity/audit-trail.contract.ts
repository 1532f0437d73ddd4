import { z } from 'zod';
import { auditEventSchema } from '../audit/audit.contract';
import { actorSchema, callerSchema } from '../caller';
import { defineEvent, defineRpc, type ParsedRequestOf } from '../contract';
import { idSchema } from '../ids';

export const AUDIT_LIST_DEFAULT_LIMIT = 50;
export const AUDIT_LIST_MAX_LIMIT = 200;
/** An export stops here (or earlier, at what one NATS reply can carry) and says `truncated`. */
export const AUDIT_EXPORT_MAX_ROWS = 10_000;

/**
 * Which audit events: every filter is optional and they combine with "and".
 * A console caller only ever reads its own console (`consoleId`, when given,
 * must be its own); an operator reads one console, or every console and the
 * platform's own events when `consoleId` is absent.
 */
const auditFilterSchema = z.object({
  caller: callerSchema,
  consoleId: idSchema.optional(),
  /** `occurredAt` at or after this instant. */
  from: z.string().datetime().optional(),
  /** `occurredAt` before this instant. */
  to: z.string().datetime().optional(),
  actorType: actorSchema.shape.type.optional(),
  actorId: actorSchema.shape.id.optional(),
  /** Exactly this action, e.g. `console.suspended`. */
  action: auditEventSchema.shape.action.optional(),
  siteId: idSchema.optional(),
  targetType: z.string().min(1).max(100).optional(),
  targetId: z.string().min(1).max(200).optional(),
  outcome: auditEventSchema.shape.outcome.optional(),
});

const fromNotAfterTo = <T extends { from?: string; to?: string }>(filter: T): boolean =>
  filter.from === undefined ||
  filter.to === undefined ||
  Date.parse(filter.from) <= Date.parse(filter.to);
const timeRangeRule = { message: '`from` is after `to`', path: ['from'] };

/** Where the previous page ended; opaque to callers. */
export const auditCursorSchema = z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, 'malformed cursor');

export const listAuditEventsRequestSchema = auditFilterSchema
  .extend({
    limit: z.number().int().min(1).max(AUDIT_LIST_MAX_LIMIT).default(AUDIT_LIST_DEFAULT_LIMIT),
    /** `nextCursor` of the previous page. */
    cursor: auditCursorSchema.optional(),
  })
  .refine(fromNotAfterTo, timeRangeRule);

export const exportAuditEventsRequestSchema = auditFilterSchema.refine(
  fromNotAfterTo,
  timeRangeRule,
);

/** One stored audit event: the event as published, and its place in its console's chain. */
export const auditEventViewSchema = auditEventSchema.extend({
  /** When identity stored it: the order of lists and exports (newest recorded first). */
  receivedAt: z.string().datetime(),
  /** Position in its chain: its console's, or the platform's for events of no console. */
  seq: z.number().int().positive(),
  /** SHA-256 (hex) over the event, `seq` and the previous event's hash. */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type AuditEventView = z.infer<typeof auditEventViewSchema>;

export const auditEventPageSchema = z.object({
  /** Newest recorded first. */
  items: z.array(auditEventViewSchema),
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: auditCursorSchema.nullable(),
});

export const auditExportSchema = z.object({
  /** RFC 4180 CSV (CRLF, every cell quoted), header row first, newest recorded first. */
  csv: z.string(),
  /** Data rows in `csv`, the header not counted. */
  rows: z.number().int().nonnegative(),
  /** More events matched than one export carries: narrow the filters (e.g. the time range). */
  truncated: z.boolean(),
});

export const verifyAuditChainRequestSchema = z.object({
  caller: callerSchema,
  /** A console's chain. An operator leaving it out checks the platform's (events of no console). */
  consoleId: idSchema.optional(),
});

export const AUDIT_CHAIN_BREAKS = ['hash_mismatch', 'prev_hash_mismatch', 'missing_seq'] as const;

export const auditChainReportSchema = z.object({
  /** The chain checked; null for the platform's. */
  consoleId: idSchema.nullable(),
  intact: z.boolean(),
  /** Events read in the chain. */
  checked: z.number().int().nonnegative(),
  /**
   * The first place the chain does not hold: an event whose stored fields no
   * longer give its hash, whose `prevHash` is not its predecessor's hash, or
   * a `seq` that is missing (then `eventId` is null).
   */
  firstBreak: z
    .object({
      seq: z.number().int().positive(),
      eventId: z.string().nullable(),
      reason: z.enum(AUDIT_CHAIN_BREAKS),
    })
    .nullable(),
});
export type AuditChainReport = z.infer<typeof auditChainReportSchema>;

/** The audit trail identity keeps of every service's audit events (read side). */
export const auditTrailRpc = {
  listAuditEvents: defineRpc(
    'identity.audit.list.v1',
    listAuditEventsRequestSchema,
    auditEventPageSchema,
  ),
  exportAuditEvents: defineRpc(
    'identity.audit.export.v1',
    exportAuditEventsRequestSchema,
    auditExportSchema,
  ),
  verifyAuditChain: defineRpc(
    'identity.audit.verify.v1',
    verifyAuditChainRequestSchema,
    auditChainReportSchema,
  ),
} as const;

/**
 * Told on core NATS each time identity has stored an audit event: not
 * durable and not on any stream, for whoever watches the trail live (a
 * console's activity feed, a test waiting for an event to be recorded).
 * Identity publishes it; nobody may rely on it to learn of every event.
 */
export const auditTrailNotices = {
  stored: defineEvent(
    'identity.audit.stored.v1',
    z.object({
      eventId: z.string().uuid(),
      consoleId: z.string().nullable(),
      action: z.string(),
      seq: z.number().int().positive(),
    }),
  ),
} as const;

/** The validated request an audit-trail handler receives. */
export type AuditTrailRequest<K extends keyof typeof auditTrailRpc> = ParsedRequestOf<
  (typeof auditTrailRpc)[K]
>;
