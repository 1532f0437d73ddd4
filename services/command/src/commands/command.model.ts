import type { Actor } from '@warden/contracts';
import { defineModel, type RecordOf } from '@warden/platform';

/**
 * mongoose stores `issuedBy: { type, id }` as two nested paths, but its type
 * inference reads a key named `type` as the field's own type, and an
 * `Object` field as `any`: the record types say what is stored.
 */
type Typed<R> = Omit<R, 'issuedBy' | 'parameters'> & {
  issuedBy: Actor;
  parameters: Record<string, unknown>;
};

/**
 * One command to one device (DESIGN §2). Its `_id` is derived from its bulk
 * and its device (`commandIdFor`), so issuing a bulk again cannot give a
 * device a second command of it: the insert is refused by `_id` itself.
 *
 * State changes are compare-and-sets on `{ _id, state }`. The unique index on
 * that pair changes nothing on MongoDB (`_id` alone is unique) but is what
 * lets the local database (mongo-java-server) answer such a filter from an
 * index instead of scanning the collection: it uses an index only when the
 * filter names exactly its fields with plain values. Measured at 20 000
 * commands: 2 000 compare-and-sets in one bulk write take 172 ms with it and
 * 11.8 s without (docs/adr/0012).
 */
export const CommandModel = defineModel(
  'Command',
  'commands',
  {
    _id: { type: String, required: true },
    consoleId: { type: String, required: true },
    siteId: { type: String, required: true },
    deviceId: { type: String, required: true },
    hostname: { type: String, required: true },
    type: { type: String, required: true },
    parameters: { type: Object, required: true },
    state: { type: String, required: true },
    bulkId: { type: String, required: true },
    issuedBy: {
      type: { type: String, required: true },
      id: { type: String, required: true },
    },
    createdAt: { type: Date, required: true },
    deliveredAt: { type: Date, default: null },
    completedAt: { type: Date, default: null },
    expiresAt: { type: Date, required: true },
    resultMessage: { type: String, default: null },
  },
  (schema) => {
    schema.index({ _id: 1, state: 1 }, { unique: true, name: 'state_cas' });
    // The console's history and the housekeeping's scans, on MongoDB.
    schema.index({ consoleId: 1, createdAt: -1, _id: -1 });
    schema.index({ deviceId: 1, createdAt: -1 });
    schema.index({ bulkId: 1 });
    schema.index({ state: 1, expiresAt: 1 });
  },
);
export type CommandRecord = Typed<RecordOf<typeof CommandModel>>;

/**
 * A device's commands not yet acknowledged (pending or delivered), oldest
 * first: what a gateway loads once per device with one `_id` read and keeps
 * until `command.mailbox.changed.v1` (ADR 0012). Derived from `commands`:
 * written after them, and repaired from them (`CommandService` re-pushes a
 * re-issued bulk; expiry and acknowledgement pull).
 */
export const MailboxModel = defineModel('Mailbox', 'mailboxes', {
  /** The device id. */
  _id: { type: String, required: true },
  consoleId: { type: String, required: true },
  commands: {
    type: [
      {
        _id: false,
        id: { type: String, required: true },
        type: { type: String, required: true },
        parameters: { type: Object, required: true },
      },
    ],
    default: [],
  },
});
export type MailboxRecord = RecordOf<typeof MailboxModel>;

/**
 * A bulk: previewed (the devices the administrator was shown a count of,
 * kept so that issuing sends exactly those), then issued. Its `_id` is the
 * confirmation token.
 */
export const BulkModel = defineModel(
  'Bulk',
  'bulks',
  {
    _id: { type: String, required: true },
    consoleId: { type: String, required: true },
    issuedBy: {
      type: { type: String, required: true },
      id: { type: String, required: true },
    },
    type: { type: String, required: true },
    parameters: { type: Object, required: true },
    devices: {
      type: [
        {
          _id: false,
          deviceId: { type: String, required: true },
          siteId: { type: String, required: true },
          hostname: { type: String, required: true },
        },
      ],
      default: [],
    },
    skipped: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    /** The confirmation token is good until then. */
    expiresAt: { type: Date, required: true },
    /** Set when issued (an issue again with the same token answers the same bulk). */
    issuedAt: { type: Date, default: null },
  },
  (schema) => {
    schema.index({ consoleId: 1, createdAt: -1 });
  },
);
export type BulkRecord = Typed<RecordOf<typeof BulkModel>>;
