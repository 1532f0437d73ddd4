import { actorSchema, type AuditEvent, auditEventSchema } from '@warden/contracts';
import { defineModel, type RecordOf } from '@warden/platform';

/**
 * An audit event as identity stores it, from whichever service published it;
 * `AuditEventView` (libs/contracts) is what callers see. Each event has a
 * place in one chain: its console's, or the platform's for events of no
 * console. `seq` counts 1, 2, 3… per chain, held by the unique index on
 * (chain, seq) — two copies cannot take the same place — and `hash` covers
 * the event, its place and the hash before it (audit-chain.ts), so an edited,
 * removed or reordered event shows when the chain is verified.
 */
export const AuditEventModel = defineModel(
  'AuditEvent',
  'audit_events',
  {
    /** `newId()` when stored (UUIDv7): lists and exports go by it, newest recorded first. */
    _id: { type: String, required: true },
    /** The publisher's id of the fact: unique, so a redelivery or a duplicate is stored once. */
    eventId: { type: String, required: true },
    /** The console id, or PLATFORM_CHAIN. */
    chain: { type: String, required: true },
    seq: { type: Number, required: true },
    prevHash: { type: String, required: true },
    hash: { type: String, required: true },
    occurredAt: { type: Date, required: true },
    receivedAt: { type: Date, required: true },
    actorType: { type: String, enum: actorSchema.shape.type.options, required: true },
    actorId: { type: String, required: true },
    sourceIp: { type: String, default: null },
    consoleId: { type: String, default: null },
    siteId: { type: String, default: null },
    action: { type: String, required: true },
    targetType: { type: String, required: true },
    targetId: { type: String, required: true },
    outcome: { type: String, enum: auditEventSchema.shape.outcome.options, required: true },
    before: { type: Object, default: null },
    after: { type: Object, default: null },
  },
  (schema) => {
    schema.index({ eventId: 1 }, { unique: true });
    schema.index({ chain: 1, seq: 1 }, { unique: true });
    // For MongoDB; the local server scans for non-unique indexes (docs/adr/0004).
    schema.index({ consoleId: 1, _id: -1 });
  },
);
/** `before` and `after` are free-form objects (`any` to mongoose): typed as the event carries them. */
export type AuditEventRecord = Omit<RecordOf<typeof AuditEventModel>, 'before' | 'after'> &
  Pick<AuditEvent, 'before' | 'after'>;
