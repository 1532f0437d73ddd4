import {
  COMMAND_STATES,
  type CommandSpecInput,
  type CommandState,
  type CommandType,
  FINAL_COMMAND_STATES,
  parseKeycode,
} from '@warden/contracts';
import { z } from 'zod';

/**
 * The agent commands as the "agent commands" menu offers them, in its order:
 * the everyday ones first, the ones that take the device away last.
 */
export const MENU_COMMANDS = [
  'refresh_config',
  'scan',
  'cleanup',
  'restart',
  'isolate',
  'unisolate',
  'change_keycode',
  'deactivate',
] as const satisfies readonly CommandType[];

/** Commands an administrator fills a form for before the preview. */
export const COMMANDS_WITH_PARAMETERS = ['change_keycode', 'scan'] as const;
type CommandWithParameters = (typeof COMMANDS_WITH_PARAMETERS)[number];

export const takesParameters = (type: CommandType): type is CommandWithParameters =>
  (COMMANDS_WITH_PARAMETERS as readonly CommandType[]).includes(type);

/** Deactivating or moving a device away cannot be taken back from the console once acknowledged. */
export const isDestructive = (type: CommandType) =>
  type === 'deactivate' || type === 'change_keycode';

/**
 * The parameters form: a keycode checked as licensing checks it (format and
 * check character, so a typo is caught before any request), and a scan's kind.
 */
export const commandParametersSchema = z.object({
  keycode: z
    .string()
    .trim()
    .min(1)
    .superRefine((value, context) => {
      if (value === '') return;
      const parsed = parseKeycode(value);
      if (!parsed.ok) {
        context.addIssue({ code: 'custom', params: { rule: `keycode_${parsed.reason}` } });
      }
    }),
  scanKind: z.enum(['quick', 'full']),
});
export type CommandParameters = z.input<typeof commandParametersSchema>;

export const NO_PARAMETERS: CommandParameters = { keycode: '', scanKind: 'quick' };

/** The form's schema for one command: only a change of keycode asks for a keycode. */
export function parametersSchemaFor(type: CommandType) {
  return type === 'change_keycode'
    ? commandParametersSchema
    : commandParametersSchema.extend({ keycode: z.string() });
}

/** What the API receives for a command chosen in the menu and its form. */
export function commandSpec(type: CommandType, form: CommandParameters): CommandSpecInput {
  switch (type) {
    case 'change_keycode': {
      const parsed = parseKeycode(form.keycode);
      // Canonical form when it parses; otherwise as typed, for the API to name the problem.
      return {
        type,
        parameters: { keycode: parsed.ok ? parsed.keycode : form.keycode.trim() },
      };
    }
    case 'scan':
      return { type, parameters: { kind: form.scanKind } };
    case 'deactivate':
    case 'cleanup':
    case 'restart':
    case 'isolate':
    case 'unisolate':
    case 'refresh_config':
      return { type };
  }
}

export type BulkStates = Readonly<Record<CommandState, number>>;

export interface BulkProgress {
  total: number;
  /** Commands in a state they never leave. */
  finished: number;
  /** Finished share, 0–100, rounded down so "100" means every command ended. */
  percent: number;
  complete: boolean;
  /** The states that hold commands, in the lifecycle's order. */
  states: { state: CommandState; count: number }[];
}

/** A bulk's progress from its counts by state (GET /api/v1/command-bulks/{bulkId}). */
export function bulkProgress(bulk: { total: number; states: BulkStates }): BulkProgress {
  const finished = FINAL_COMMAND_STATES.reduce((sum, state) => sum + bulk.states[state], 0);
  const percent = bulk.total === 0 ? 100 : Math.floor((finished * 100) / bulk.total);
  return {
    total: bulk.total,
    finished,
    percent,
    complete: finished >= bulk.total,
    states: COMMAND_STATES.filter((state) => bulk.states[state] > 0).map((state) => ({
      state,
      count: bulk.states[state],
    })),
  };
}

/** Only a command the endpoint has not received yet can be cancelled (COMMAND_NOT_CANCELLABLE after). */
export const isCancellable = (state: CommandState) => state === 'pending';

/** The colour of a state's badge: waiting grey/blue, done green, trouble red, withdrawn neutral. */
export const STATE_COLORS: Readonly<Record<CommandState, string>> = {
  pending: 'gray',
  delivered: 'blue',
  succeeded: 'green',
  failed: 'red',
  cancelled: 'dark',
  expired: 'orange',
};
