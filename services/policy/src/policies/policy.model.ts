import { defineModel, type RecordOf } from '@warden/platform';

/**
 * A console's own policy as stored; `PolicyDetail` (libs/contracts) is what
 * callers see. Built-ins are not stored: they come from `BUILTIN_POLICIES`.
 * Every stored policy was made by a copy, so `idempotencyKey` is always set.
 */
export const PolicyModel = defineModel(
  'Policy',
  'policies',
  {
    _id: { type: String, required: true },
    consoleId: { type: String, required: true },
    name: { type: String, required: true },
    /** `name` in lower case: unique per console (no collation on the local database). */
    nameLower: { type: String, required: true },
    description: { type: String, required: true },
    /** Every section and setting of the catalog (`PolicySettings`), checked before every write. */
    settings: { type: Object, required: true },
    /** The agent keeps its local settings (copied from the source, e.g. the built-in Unmanaged). */
    unmanaged: { type: Boolean, required: true },
    /** Monotonic; every change adds one, compared and set in the same write. */
    version: { type: Number, required: true },
    /** Of the copy that made it: a retried copy finds its policy. */
    idempotencyKey: { type: String, required: true },
    /** Of the copy request: the same key with a different request is refused. */
    requestFingerprint: { type: String, required: true },
    /** Where it was copied from (a built-in or another policy of the console). */
    sourcePolicyId: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  (schema) => {
    schema.index({ consoleId: 1, nameLower: 1 }, { unique: true });
    schema.index({ consoleId: 1, idempotencyKey: 1 }, { unique: true });
  },
);
export type PolicyRecord = RecordOf<typeof PolicyModel>;
