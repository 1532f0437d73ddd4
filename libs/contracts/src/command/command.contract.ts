import { z } from 'zod';
import { AUDIT_EVENT_CONTRACTS } from '../audit/audit-sources';
import { defineEvent, defineRpc, type ParsedRequestOf } from '../contract';
import { eventMetaSchema } from '../event-meta';
import { idSchema } from '../ids';
import {
  acknowledgeReplySchema,
  acknowledgeRequestSchema,
  bulkPreviewSchema,
  bulkRequestSchema,
  bulkSchema,
  commandPageSchema,
  commandRequestSchema,
  commandSchema,
  deviceMailboxRequestSchema,
  deviceMailboxSchema,
  issueBulkRequestSchema,
  issueCommandRequestSchema,
  listCommandsRequestSchema,
  markDeliveredReplySchema,
  markDeliveredRequestSchema,
  previewBulkRequestSchema,
} from './command.schemas';

/** Agent commands: the typed queue, delivery and acknowledgement (DESIGN §2, §6, issue 12). */
export const commandRpc = {
  // The console API (console and site access from the caller).
  /** Step 1 of a bulk: the count it would affect and a confirmation token. */
  previewBulk: defineRpc('command.bulk.preview.v1', previewBulkRequestSchema, bulkPreviewSchema),
  /** Step 2: issue what the token's preview counted; the same token again issues nothing new. */
  issueBulk: defineRpc('command.bulk.issue.v1', issueBulkRequestSchema, bulkSchema),
  getBulk: defineRpc('command.bulk.get.v1', bulkRequestSchema, bulkSchema),
  /** One command to one endpoint at once. */
  issueCommand: defineRpc('command.command.issue.v1', issueCommandRequestSchema, commandSchema),
  getCommand: defineRpc('command.command.get.v1', commandRequestSchema, commandSchema),
  listCommands: defineRpc('command.command.list.v1', listCommandsRequestSchema, commandPageSchema),
  /** Only while pending: COMMAND_NOT_CANCELLABLE once delivered or ended. */
  cancelCommand: defineRpc('command.command.cancel.v1', commandRequestSchema, commandSchema),

  // The agent path, called by the gateway.
  /** What a gateway loads once per device and keeps until `mailboxChanged` (one `_id` read). */
  deviceMailbox: defineRpc(
    'command.mailbox.get.v1',
    deviceMailboxRequestSchema,
    deviceMailboxSchema,
  ),
  markDelivered: defineRpc(
    'command.command.mark-delivered.v1',
    markDeliveredRequestSchema,
    markDeliveredReplySchema,
  ),
  acknowledge: defineRpc(
    'command.command.acknowledge.v1',
    acknowledgeRequestSchema,
    acknowledgeReplySchema,
  ),
} as const;

export type CommandRequest<K extends keyof typeof commandRpc> = ParsedRequestOf<
  (typeof commandRpc)[K]
>;

/**
 * These devices' unacknowledged commands changed (issued, acknowledged,
 * cancelled, expired): every gateway copy drops them from its memory and
 * loads them again at their next check-in. Sent in chunks of at most
 * `MAILBOX_EVENT_CHUNK` ids.
 */
export const mailboxChangedEventSchema = eventMetaSchema.extend({
  deviceIds: z.array(idSchema).min(1),
});
export type MailboxChangedEvent = z.infer<typeof mailboxChangedEventSchema>;
export const MAILBOX_EVENT_CHUNK = 2_000;

/** A command reached a final state. */
export const commandCompletedEventSchema = eventMetaSchema.extend({
  command: commandSchema,
});
export type CommandCompletedEvent = z.infer<typeof commandCompletedEventSchema>;

/** What the command service publishes, durably on `WARDEN_COMMAND` (docs/adr/0005). */
export const commandEvents = {
  auditRecorded: AUDIT_EVENT_CONTRACTS.command,
  mailboxChanged: defineEvent('command.mailbox.changed.v1', mailboxChangedEventSchema),
  commandCompleted: defineEvent('command.command.completed.v1', commandCompletedEventSchema),
} as const;
