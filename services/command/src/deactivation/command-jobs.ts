import type { Caller, EndpointLifecycle } from '@warden/contracts';
import { inventoryRpc } from '@warden/contracts';
import {
  type AuditPublisher,
  derivedEventId,
  DomainError,
  type NatsRpcClient,
  type PreparedEvent,
} from '@warden/platform';
import { DelayedError, type Job, type JobsOptions } from 'bullmq';
import type { CommandRecord } from '../commands/command.repository';

/** What a command's follow-up job carries: the command is read again each time it runs. */
export interface CommandJob {
  commandId: string;
}

/**
 * Follow-up jobs of commands: kept once done for a week, so the same job id
 * added again (a bulk issued twice, an ack repeated) is ignored rather than
 * run a second time. An attempt that fails (an RPC refused or unanswered:
 * licensing down) is retried with doubling waits from a second, about six
 * days in all.
 */
export function commandJobOptions(jobId: string, delayMs = 0): JobsOptions {
  return {
    jobId,
    delay: delayMs,
    attempts: 20,
    backoff: { type: 'exponential', delay: 1_000 },
    removeOnComplete: { age: 7 * 24 * 60 * 60 },
    removeOnFail: { age: 30 * 24 * 60 * 60 },
  };
}

/**
 * Ends this run of the job and runs it again at `at` (BullMQ does not count
 * this as a failed attempt).
 */
export async function runAgainAt(job: Job, token: string | undefined, at: number): Promise<never> {
  await job.moveToDelayed(at, token);
  throw new DelayedError();
}

/** The service acting on a command's behalf, in the command's console. */
export function systemCaller(job: string, command: CommandRecord): Caller {
  return { actor: { type: 'system', id: job }, consoleId: command.consoleId };
}

/** What inventory answers about an endpoint; null when it has none (ENDPOINT_NOT_FOUND). */
export async function endpointOrNull<T>(request: Promise<T>): Promise<T | null> {
  try {
    return await request;
  } catch (error) {
    if (error instanceof DomainError && error.code === 'ENDPOINT_NOT_FOUND') return null;
    throw error;
  }
}

/** Inventory's facts of a device; null once it has no endpoint any more. */
export function deviceFactsOrNull(rpc: NatsRpcClient, caller: Caller, deviceId: string) {
  return endpointOrNull(rpc.request(inventoryRpc.deviceFacts, { caller, deviceId }));
}

export async function setLifecycle(
  rpc: NatsRpcClient,
  caller: Caller,
  change: {
    deviceIds: string[];
    from: EndpointLifecycle[];
    to: EndpointLifecycle;
    commandId?: string;
  },
): Promise<number> {
  const { changed } = await rpc.request(inventoryRpc.setLifecycle, { caller, ...change });
  return changed;
}

/**
 * Audits a step a follow-up job took for a command, on its endpoint, under an
 * id derived from the command and the action: a run repeated after an
 * interruption stores it once.
 */
export function commandStepAudit(
  audit: AuditPublisher,
  caller: Caller,
  command: CommandRecord,
  step: {
    action: string;
    siteId?: string;
    outcome?: 'success' | 'failure';
    after: Record<string, unknown>;
  },
): PreparedEvent {
  return audit.prepare({
    caller,
    consoleId: command.consoleId,
    siteId: step.siteId ?? command.siteId,
    action: step.action,
    ...(step.outcome === undefined ? {} : { outcome: step.outcome }),
    target: { type: 'endpoint', id: command.deviceId },
    after: { commandId: command._id, ...step.after },
    eventId: derivedEventId(`${command._id}:audit:${step.action}`),
  });
}
