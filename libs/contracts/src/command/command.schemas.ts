import { z } from 'zod';
import { actorSchema, callerSchema } from '../caller';
import { idSchema } from '../ids';
import { commandTargetSchema } from '../inventory/inventory.schemas';
import {
  COMMAND_OUTCOMES,
  COMMAND_STATES,
  COMMAND_TYPES,
  commandSpecSchema,
} from './command-catalogue';

const isoDate = z.string().datetime();

/** One command to one device, as the console shows it. */
export const commandSchema = z.object({
  id: idSchema,
  consoleId: idSchema,
  siteId: idSchema,
  deviceId: idSchema,
  /** The endpoint's hostname when the command was issued. */
  hostname: z.string(),
  type: z.enum(COMMAND_TYPES),
  parameters: z.record(z.unknown()),
  state: z.enum(COMMAND_STATES),
  /** The bulk issue it came from (a single command is a bulk of one). */
  bulkId: idSchema,
  issuedBy: actorSchema,
  createdAt: isoDate,
  deliveredAt: isoDate.nullable(),
  completedAt: isoDate.nullable(),
  /** When it expires if still undelivered. */
  expiresAt: isoDate,
  /** The agent's message with its acknowledgement, or why the service ended it. */
  resultMessage: z.string().nullable(),
});
export type Command = z.infer<typeof commandSchema>;

/** A bulk may reach at most this many endpoints. */
export const MAX_BULK_DEVICES = 50_000;

/** Step 1 of a bulk: what it would affect. */
export const previewBulkRequestSchema = z.object({
  caller: callerSchema,
  target: commandTargetSchema,
  command: commandSpecSchema,
});
export const bulkPreviewSchema = z.object({
  /** Endpoints the command would go to. */
  count: z.number().int().nonnegative(),
  /** Selected but left out: deactivated or being deactivated, or not found / not the caller's to command. */
  skipped: z.number().int().nonnegative(),
  /** Per site, for the confirmation ("12 endpoints in Tokyo office"). */
  sites: z.array(z.object({ siteId: idSchema, count: z.number().int().nonnegative() })),
  /** Issue with this within `expiresAt`; it is also the bulk's id. */
  confirmationToken: idSchema,
  expiresAt: isoDate,
  /** Set for `deactivate`: billing counts until removal is verified. */
  warning: z.enum(['BILLING_UNTIL_REMOVAL_VERIFIED']).nullable(),
});
export type BulkPreview = z.infer<typeof bulkPreviewSchema>;

/** Step 2: issue exactly what was previewed. Issuing the same token again changes nothing. */
export const issueBulkRequestSchema = z.object({
  caller: callerSchema,
  confirmationToken: idSchema,
});
export const bulkSchema = z.object({
  bulkId: idSchema,
  type: z.enum(COMMAND_TYPES),
  issuedBy: actorSchema,
  createdAt: isoDate,
  /** Commands in the bulk. */
  total: z.number().int().nonnegative(),
  /** How many are in each state now. */
  states: z.record(z.enum(COMMAND_STATES), z.number().int().nonnegative()),
});
export type Bulk = z.infer<typeof bulkSchema>;

/** One endpoint, one command, at once (the console's action on an endpoint's page). */
export const issueCommandRequestSchema = z.object({
  caller: callerSchema,
  endpointId: idSchema,
  command: commandSpecSchema,
  /** Same key, same command: a retried request issues once. */
  idempotencyKey: z.string().min(8).max(200).optional(),
});

export const commandRequestSchema = z.object({ caller: callerSchema, commandId: idSchema });
export const bulkRequestSchema = z.object({ caller: callerSchema, bulkId: idSchema });

export const listCommandsRequestSchema = z.object({
  caller: callerSchema,
  filter: z
    .object({
      siteId: idSchema.optional(),
      endpointId: idSchema.optional(),
      bulkId: idSchema.optional(),
      state: z.array(z.enum(COMMAND_STATES)).min(1).optional(),
      type: z.array(z.enum(COMMAND_TYPES)).min(1).optional(),
    })
    .strict()
    .default({}),
  /** From the previous page's `nextCursor`, with the same filter. */
  cursor: z.string().max(1000).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
/** Newest first. */
export const commandPageSchema = z.object({
  items: z.array(commandSchema),
  nextCursor: z.string().nullable(),
});
export type CommandPage = z.infer<typeof commandPageSchema>;

// The agent path (the gateway asks; the device is the caller).

export const deviceMailboxRequestSchema = z.object({ caller: callerSchema, deviceId: idSchema });
/** A device's commands not yet acknowledged (pending or delivered), oldest first. */
export const deviceMailboxSchema = z.object({
  deviceId: idSchema,
  commands: z.array(
    z.object({ id: idSchema, type: z.enum(COMMAND_TYPES), parameters: z.record(z.unknown()) }),
  ),
});
export type DeviceMailbox = z.infer<typeof deviceMailboxSchema>;

/** Commands that rode on a check-in reply, batched by the gateway. */
export const markDeliveredRequestSchema = z.object({
  caller: callerSchema,
  deliveries: z
    .array(z.object({ commandId: idSchema, deviceId: idSchema, deliveredAt: isoDate }))
    .min(1)
    .max(10_000),
});
export const markDeliveredReplySchema = z.object({
  /** Moved from pending to delivered now (the rest were already past it). */
  marked: z.number().int().nonnegative(),
});

export const acknowledgeRequestSchema = z.object({
  caller: callerSchema,
  deviceId: idSchema,
  commandId: idSchema,
  outcome: z.enum(COMMAND_OUTCOMES),
  message: z.string().max(1000).default(''),
});
/**
 * `recorded`: this acknowledgement set the outcome. Otherwise nothing
 * changed and `reason` says why: `already_acknowledged` (a duplicate; the
 * state is the first acknowledgement's), `cancelled` or `expired` (a late ack).
 */
export const acknowledgeReplySchema = z.object({
  commandId: idSchema,
  state: z.enum(COMMAND_STATES),
  recorded: z.boolean(),
  reason: z.enum(['already_acknowledged', 'cancelled', 'expired']).nullable(),
});
export type AcknowledgeReply = z.infer<typeof acknowledgeReplySchema>;
