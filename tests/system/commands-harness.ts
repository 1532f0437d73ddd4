import type {
  AcknowledgeReply,
  AuditEventView,
  Command,
  CommandOutcome,
  CommandPage,
  CommandSpecInput,
} from '@warden/contracts';
import { uniqueDbName } from '@warden/testing';
import { eventually } from './agent-cli-harness';
import { type Call, consoleClient } from './console-client';
import { RAISED_SIGN_IN_LIMITS, signInStack } from './system-under-test';

/*
 * What the command system tests share: the whole system with the command
 * service's timings short (a deactivation's grace period of a second) and a
 * job queue of its own, and the calls an administrator and an agent make.
 */

/** The command service's settings for a test file: short timings, its own queues. */
export function commandServiceEnv(): Record<string, string> {
  return {
    DEACTIVATION_GRACE_SECONDS: '1',
    JOB_QUEUE_PREFIX: uniqueDbName('jobs'),
  };
}

/** The whole system for one `describe` block, its gateway taking `opsToken`, and a console client. */
export function commandsStack(opsToken: string) {
  const system = signInStack({
    gateway: { OPS_API_TOKENS: opsToken, ...RAISED_SIGN_IN_LIMITS },
    command: commandServiceEnv(),
  });
  return { system, client: consoleClient(system, opsToken) };
}

/** `POST /api/v1/endpoints/{id}/commands`: fails the test unless it was issued. */
export async function issue(
  call: Call,
  token: string,
  endpointId: string,
  command: CommandSpecInput,
): Promise<Command> {
  const reply = await call<Command>('POST', `/api/v1/endpoints/${endpointId}/commands`, {
    token,
    body: command,
  });
  if (reply.status !== 201)
    throw new Error(`issuing ${command.type}: ${reply.status} ${reply.text}`);
  return reply.body;
}

/** `POST /agent/v1/commands/{id}/ack` with the device's token. */
export function ack(
  call: Call,
  deviceToken: string,
  commandId: string,
  outcome: CommandOutcome = 'succeeded',
  message = '',
) {
  return call<AcknowledgeReply>('POST', `/agent/v1/commands/${commandId}/ack`, {
    token: deviceToken,
    body: { outcome, message },
  });
}

export async function commandOf(call: Call, token: string, commandId: string): Promise<Command> {
  const reply = await call<Command>('GET', `/api/v1/commands/${commandId}`, { token });
  if (reply.status !== 200) throw new Error(`reading a command: ${reply.status} ${reply.text}`);
  return reply.body;
}

/** The command, once `check` holds (delivery marks are batched, jobs run later). */
export function commandWhen(
  call: Call,
  token: string,
  commandId: string,
  check: (command: Command) => boolean,
  timeoutMs?: number,
): Promise<Command> {
  return eventually(() => commandOf(call, token, commandId), check, timeoutMs);
}

/** A page of the console's command history with this query. */
export async function history(call: Call, token: string, path: string): Promise<CommandPage> {
  const reply = await call<CommandPage>('GET', path, { token });
  if (reply.status !== 200) throw new Error(`history ${path}: ${reply.status} ${reply.text}`);
  return reply.body;
}

/** The console's audit trail (newest first) once every action of `actions` is in it. */
export function auditTrailWith(
  call: Call,
  token: string,
  actions: string[],
  timeoutMs = 15_000,
): Promise<AuditEventView[]> {
  return eventually(
    async () => {
      const reply = await call<{ items: AuditEventView[] }>(
        'GET',
        '/api/v1/audit-events?limit=200',
        { token },
      );
      return reply.body.items ?? [];
    },
    (events) => actions.every((action) => events.some((event) => event.action === action)),
    timeoutMs,
  );
}
