import { SEAT_ENFORCEMENTS } from '@warden/contracts';
import { Schema } from 'mongoose';

export interface SiteDocument {
  _id: string;
  consoleId: string;
  /** Unique, always set: makes site creation safe to retry. */
  creationKey: string;
  name: string;
  /** Current keycode, canonical form; unique platform-wide. */
  keycode: string;
  comment: string;
  seats: number;
  /**
   * Leases hold slots in [0, max(seats, slotRange)). Set to `seats` at
   * creation and raised (never lowered here) before seats go down or a
   * soft-mode claim goes beyond them. While it exceeds `seats`, leases may sit
   * above the seats and claims take the careful path (SeatService). Missing on
   * documents written before it existed: treated as unknown, so careful.
   */
  slotRange?: number;
  enforcement: (typeof SEAT_ENFORCEMENTS)[number];
  reportRecipients: string[];
  defaultPolicyId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const siteSchema = new Schema<SiteDocument>(
  {
    _id: { type: String, required: true },
    consoleId: { type: String, required: true },
    creationKey: { type: String, required: true },
    name: { type: String, required: true },
    keycode: { type: String, required: true },
    comment: { type: String, default: '' },
    seats: { type: Number, required: true },
    slotRange: { type: Number },
    enforcement: { type: String, enum: SEAT_ENFORCEMENTS, required: true },
    reportRecipients: { type: [String], default: [] },
    defaultPolicyId: { type: String, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'sites' },
);
siteSchema.index({ keycode: 1 }, { unique: true });
siteSchema.index({ creationKey: 1 }, { unique: true });
siteSchema.index({ consoleId: 1, _id: 1 });

/**
 * Every keycode ever issued, keyed by the keycode itself, so a retired keycode
 * is never issued again to another site. `reserved` between drawing a keycode
 * and its site holding it; then `active`; `retired` once replaced (or never
 * used). The site's own `keycode` field is what enrolment reads: this registry
 * guards uniqueness and keeps the history.
 */
export const KEYCODE_STATES = ['reserved', 'active', 'retired'] as const;

export interface KeycodeDocument {
  _id: string;
  siteId: string;
  consoleId: string;
  state: (typeof KEYCODE_STATES)[number];
  issuedAt: Date;
}

export const keycodeSchema = new Schema<KeycodeDocument>(
  {
    _id: { type: String, required: true },
    siteId: { type: String, required: true },
    consoleId: { type: String, required: true },
    state: { type: String, enum: KEYCODE_STATES, required: true },
    issuedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'keycodes' },
);
