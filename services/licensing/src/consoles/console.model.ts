import { CONSOLE_KINDS, CONSOLE_STATUSES, LANGUAGES } from '@warden/contracts';
import { defineModel, type RecordOf } from '@warden/platform';

/** A console (tenant) as stored; `Console` (libs/contracts) is what callers see. */
export const ConsoleModel = defineModel(
  'Console',
  'consoles',
  {
    _id: { type: String, required: true },
    /** Unique, always set: a retried create with the same key finds this console. */
    idempotencyKey: { type: String, required: true },
    /** Of the create request: the same key with a different request is refused. */
    requestFingerprint: { type: String, required: true },
    name: { type: String, required: true },
    kind: { type: String, enum: CONSOLE_KINDS, required: true },
    status: { type: String, enum: CONSOLE_STATUSES, required: true },
    trialEndsAt: { type: Date, default: null },
    language: { type: String, enum: LANGUAGES, required: true },
    notSeenThresholdHours: { type: Number, required: true },
    /**
     * Idempotency keys of the latest trial extensions (bounded): an extension
     * retried with its key finds it here and changes nothing. Set in the same
     * atomic write as the new trial end.
     */
    trialExtensionKeys: { type: [String], default: undefined },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  (schema) => {
    schema.index({ idempotencyKey: 1 }, { unique: true });
    schema.index({ status: 1, _id: 1 });
  },
);
export type ConsoleRecord = RecordOf<typeof ConsoleModel>;
