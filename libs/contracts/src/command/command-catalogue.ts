import { z } from 'zod';

/*
 * The agent commands (DESIGN §2, issue 12): each type with its typed
 * parameters. The agent receives `{ id, type, parameters }` exactly as parsed
 * here; an installed agent that does not know a type acknowledges it as
 * `failed`. Add types and optional parameters; never rename.
 */

/** A keycode as typed by an administrator; licensing normalises and checks it when issued. */
const targetKeycode = z.string().trim().min(1).max(100);

export const commandSpecSchema = z.discriminatedUnion('type', [
  /** Uninstall: the seat is freed only once removal is verified (journey 11). */
  z.object({ type: z.literal('deactivate'), parameters: z.object({}).strict().default({}) }),
  /** Move to another site (another console's too) by its keycode (journey 13). */
  z.object({
    type: z.literal('change_keycode'),
    parameters: z.object({ keycode: targetKeycode }).strict(),
  }),
  z.object({
    type: z.literal('scan'),
    parameters: z
      .object({ kind: z.enum(['quick', 'full']).default('quick') })
      .strict()
      .default({}),
  }),
  /** Remove what the last scan quarantined or found. */
  z.object({ type: z.literal('cleanup'), parameters: z.object({}).strict().default({}) }),
  /** Restart the device. */
  z.object({ type: z.literal('restart'), parameters: z.object({}).strict().default({}) }),
  /** Cut the device off the network except for Warden itself. */
  z.object({ type: z.literal('isolate'), parameters: z.object({}).strict().default({}) }),
  z.object({ type: z.literal('unisolate'), parameters: z.object({}).strict().default({}) }),
  /** Check in again now and fetch the policy (journey 14). */
  z.object({ type: z.literal('refresh_config'), parameters: z.object({}).strict().default({}) }),
]);
export type CommandSpec = z.infer<typeof commandSpecSchema>;
export type CommandSpecInput = z.input<typeof commandSpecSchema>;

export const COMMAND_TYPES = [
  'deactivate',
  'change_keycode',
  'scan',
  'cleanup',
  'restart',
  'isolate',
  'unisolate',
  'refresh_config',
] as const satisfies readonly CommandSpec['type'][];
export type CommandType = (typeof COMMAND_TYPES)[number];

/**
 * `pending` (waiting for the device) → `delivered` (rode on a check-in reply)
 * → `succeeded` | `failed` (the agent's acknowledgement); or `cancelled` (by
 * an administrator while pending) or `expired` (not acknowledged within 14 days: undelivered, or delivered and never answered).
 */
export const COMMAND_STATES = [
  'pending',
  'delivered',
  'succeeded',
  'failed',
  'cancelled',
  'expired',
] as const;
export type CommandState = (typeof COMMAND_STATES)[number];

/** States a command never leaves. */
export const FINAL_COMMAND_STATES = [
  'succeeded',
  'failed',
  'cancelled',
  'expired',
] as const satisfies readonly CommandState[];

/** Unacknowledged this long, a command expires (a housekeeping job, not a TTL index). */
export const COMMAND_EXPIRY_DAYS = 14;

/** What an agent reports when it acknowledges a command. */
export const COMMAND_OUTCOMES = ['succeeded', 'failed'] as const;
export type CommandOutcome = (typeof COMMAND_OUTCOMES)[number];
