import type { EventContract, EventMeta } from '@warden/contracts';
import {
  DiscardPolicy,
  type JetStreamManager,
  type NatsConnection,
  NatsError,
  nanos,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
} from 'nats';
import type { z } from 'zod';

/** An event whose payload carries `eventId` and `occurredAt` (every domain event does). */
export type DomainEventContract = EventContract<z.ZodType<EventMeta, z.ZodTypeDef, unknown>>;

/** How long a stream keeps events: a consumer stopped longer than this misses some. */
export const EVENT_RETENTION_MS = 14 * 24 * 60 * 60 * 1000;
/**
 * Within this window JetStream stores a message id once. Publish retries
 * (outbox relay, lost acks) happen well inside it; its cost is one remembered
 * id per message published in the window.
 */
export const EVENT_DUPLICATE_WINDOW_MS = 10 * 60 * 1000;

/** The service that owns a subject: its first token (docs/adr/0002). */
export function subjectOwner(subject: string): string {
  const owner = subject.split('.')[0];
  if (!owner) throw new Error(`not an event subject: ${subject}`);
  return owner;
}

/** One stream per publishing service: `WARDEN_LICENSING` holds licensing's events. */
export function eventStreamName(service: string): string {
  return `WARDEN_${service.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** The stream an event is stored in. */
export function streamOf(contract: EventContract): string {
  return eventStreamName(subjectOwner(contract.subject));
}

/**
 * Creates the stream, or adds subjects it lacks. Subjects are only ever added,
 * never removed here: during a rolling upgrade old and new copies both call
 * this, and neither may take the other's subjects away. Safe to run from many
 * copies at once.
 */
export async function ensureEventStream(
  jsm: JetStreamManager,
  name: string,
  subjects: readonly string[],
): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const existing = await streamConfig(jsm, name);
    if (!existing) {
      try {
        await jsm.streams.add(newStreamConfig(name, subjects));
        return;
      } catch (error) {
        if (isApiError(error, STREAM_NAME_IN_USE)) continue; // another copy created it
        throw error;
      }
    }
    const missing = subjects.filter((subject) => !existing.subjects.includes(subject));
    if (missing.length === 0) return;
    try {
      await jsm.streams.update(name, { ...existing, subjects: [...existing.subjects, ...missing] });
      return;
    } catch (error) {
      // Another copy changed it meanwhile: read it again.
      if (attempt === 4) throw error;
    }
  }
}

/** Opens JetStream on a connection, with a readable failure when the server has none. */
export async function jetStreamManager(
  connection: NatsConnection,
  where: string,
): Promise<JetStreamManager> {
  try {
    return await connection.jetstreamManager();
  } catch (error) {
    throw new Error(
      `JetStream is not available on ${where}: run nats-server with -js (docs/adr/0005). ` +
        `(${String(error)})`,
    );
  }
}

function newStreamConfig(name: string, subjects: readonly string[]): Partial<StreamConfig> {
  return {
    name,
    subjects: [...subjects],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_age: nanos(EVENT_RETENTION_MS),
    duplicate_window: nanos(EVENT_DUPLICATE_WINDOW_MS),
    num_replicas: 1,
  };
}

async function streamConfig(jsm: JetStreamManager, name: string): Promise<StreamConfig | null> {
  try {
    return (await jsm.streams.info(name)).config;
  } catch (error) {
    if (isApiError(error, STREAM_NOT_FOUND)) return null;
    throw error;
  }
}

const STREAM_NOT_FOUND = 10059;
const STREAM_NAME_IN_USE = 10058;

export function isApiError(error: unknown, errCode: number): boolean {
  return error instanceof NatsError && error.api_error?.err_code === errCode;
}

/** JetStream answers "no responders" (503) when no stream holds the subject. */
export function isNoStreamError(error: unknown): boolean {
  return error instanceof NatsError && error.code === '503';
}
