import { SEAT_ENFORCEMENTS } from '@warden/contracts';
import { defineModel, type RecordOf } from '@warden/platform';

/** A site as stored; `Site` (libs/contracts) is what callers see. */
export const SiteModel = defineModel(
  'Site',
  'sites',
  {
    _id: { type: String, required: true },
    consoleId: { type: String, required: true },
    /** Unique, always set: makes site creation safe to retry. */
    creationKey: { type: String, required: true },
    /** Of the create request: the same key with a different request is refused. */
    requestFingerprint: { type: String, required: true },
    name: { type: String, required: true },
    /** Current keycode, canonical form; unique platform-wide. */
    keycode: { type: String, required: true },
    comment: { type: String, required: true },
    seats: { type: Number, required: true },
    /**
     * Leases hold slots in [0, max(seats, slotRange)). Set to `seats` at
     * creation and raised (never lowered here) when seats go down or a
     * soft-mode claim goes beyond them. While it exceeds `seats`, leases may
     * sit above the seats and claims take the careful path (SeatService).
     */
    slotRange: { type: Number, required: true },
    /**
     * The last time a claim made sure the slot range reached past an overage
     * slot (even when it already did): the slot range is lowered only once
     * this and `updatedAt` are old enough that no claim can still be between
     * reading the site and inserting its lease.
     */
    slotRangeRaisedAt: { type: Date },
    enforcement: { type: String, enum: SEAT_ENFORCEMENTS, required: true },
    reportRecipients: { type: [String], required: true },
    defaultPolicyId: { type: String, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  (schema) => {
    schema.index({ keycode: 1 }, { unique: true });
    schema.index({ creationKey: 1 }, { unique: true });
    schema.index({ consoleId: 1, _id: 1 });
  },
);
export type SiteRecord = RecordOf<typeof SiteModel>;

/**
 * Every keycode ever issued, keyed by the keycode itself, so a retired keycode
 * is never issued again to another site. `reserved` between drawing a keycode
 * and its site holding it; then `active`; `retired` once replaced (or never
 * used). The site's own `keycode` field is what enrolment reads: this registry
 * guards uniqueness, keeps the history, and makes a rotation idempotent.
 */
export const KEYCODE_STATES = ['reserved', 'active', 'retired'] as const;

export const KeycodeModel = defineModel(
  'Keycode',
  'keycodes',
  {
    _id: { type: String, required: true },
    siteId: { type: String, required: true },
    consoleId: { type: String, required: true },
    state: { type: String, enum: KEYCODE_STATES, required: true },
    /** `<siteId>:<Idempotency-Key>` of the rotation that drew it: a retry finds it. */
    rotationKey: { type: String },
    /** The keycode the rotation replaces, to finish a rotation a crash interrupted. */
    replaces: { type: String },
    issuedAt: { type: Date, required: true },
  },
  (schema) => {
    schema.index({ rotationKey: 1 }, { unique: true, sparse: true });
  },
);
export type KeycodeRecord = RecordOf<typeof KeycodeModel>;
