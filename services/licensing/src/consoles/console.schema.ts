import { CONSOLE_KINDS, CONSOLE_STATUSES, LANGUAGES } from '@warden/contracts';
import { Schema } from 'mongoose';

export interface ConsoleDocument {
  _id: string;
  /** Unique, always set: a retried create with the same key finds this console. */
  idempotencyKey: string;
  name: string;
  kind: (typeof CONSOLE_KINDS)[number];
  status: (typeof CONSOLE_STATUSES)[number];
  trialEndsAt: Date | null;
  language: (typeof LANGUAGES)[number];
  notSeenThresholdHours: number;
  /**
   * Idempotency keys of the latest trial extensions (bounded): an extension
   * retried with its key finds it here and changes nothing. Set in the same
   * atomic write as the new trial end.
   */
  trialExtensionKeys?: string[];
  createdAt: Date;
  updatedAt: Date;
}

export const consoleSchema = new Schema<ConsoleDocument>(
  {
    _id: { type: String, required: true },
    idempotencyKey: { type: String, required: true },
    name: { type: String, required: true },
    kind: { type: String, enum: CONSOLE_KINDS, required: true },
    status: { type: String, enum: CONSOLE_STATUSES, required: true },
    trialEndsAt: { type: Date, default: null },
    language: { type: String, enum: LANGUAGES, required: true },
    notSeenThresholdHours: { type: Number, required: true },
    trialExtensionKeys: { type: [String], default: undefined },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'consoles' },
);
consoleSchema.index({ idempotencyKey: 1 }, { unique: true });
consoleSchema.index({ status: 1, _id: 1 });
