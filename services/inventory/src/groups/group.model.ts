import { defineModel, type RecordOf } from '@warden/platform';

/**
 * A group of a site's endpoints. The site's two system groups (`default`,
 * `deactivated`) have ids derived from (siteId, kind), so creating them
 * lazily and concurrently is idempotent: a second insert is an E11000.
 */
export const GroupModel = defineModel(
  'Group',
  'groups',
  {
    _id: { type: String, required: true },
    consoleId: { type: String, required: true },
    siteId: { type: String, required: true },
    name: { type: String, required: true },
    /** Names are unique per site without regard to case (no collation on the local database). */
    nameLower: { type: String, required: true },
    /** `default`, `deactivated`, or null for groups administrators made. */
    system: { type: String, default: null },
    /** Null: its endpoints follow their site's default. */
    policyId: { type: String, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  (schema) => {
    schema.index({ siteId: 1, nameLower: 1 }, { unique: true });
    schema.index({ consoleId: 1, policyId: 1 });
  },
);
export type GroupRecord = RecordOf<typeof GroupModel>;
