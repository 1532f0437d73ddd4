import { type EventMeta, type PayloadOf } from '@warden/contracts';
import {
  headers as natsHeaders,
  type JetStreamClient,
  type JetStreamManager,
  type MsgHdrs,
  type NatsConnection,
} from 'nats';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { ContractViolationError } from '../errors/domain-error';
import { currentRequestId, REQUEST_ID_HEADER } from '../logging/request-context';
import type { Logger } from '../logging/logger';
import { retryDelayMs } from './backoff';
import type { EventOutbox } from './event-outbox';
import {
  type DomainEventContract,
  ensureEventStream,
  eventStreamName,
  isNoStreamError,
  jetStreamManager,
  subjectOwner,
} from './event-stream';
import { encodeEvent, eventBytes } from './event-wire';

/** An event's own fields; `eventId` and `occurredAt` are filled in unless given. */
export type EventFields<C extends DomainEventContract> = Omit<
  z.input<C['payload']>,
  keyof EventMeta
>;

/** An event built and validated before the write it reports; publish it after the write. */
export interface PreparedEvent<C extends DomainEventContract = DomainEventContract> {
  readonly contract: C;
  readonly payload: PayloadOf<C>;
}

export interface EventPublisherOptions {
  /** The publishing service: its stream is `WARDEN_<SERVICE>`. */
  service: string;
  /** Every event the service publishes; exactly these subjects go on its stream. */
  publishes: readonly DomainEventContract[];
  connection: NatsConnection;
  /** Where unacknowledged events wait; without one they wait in memory only. */
  outbox: EventOutbox | null;
  logger: Logger;
  /** How long a publish waits for the stream's acknowledgement. */
  publishTimeoutMs?: number;
  /** Back-off between attempts of one event. */
  retry?: { baseMs: number; maxMs: number };
  /** How often the outbox is checked when nothing is known to wait (other copies' leftovers). */
  sweepIntervalMs?: number;
}

interface PendingEvent {
  id: string;
  subject: string;
  packet: string;
  /** The request that made the change, for the logs of whoever consumes it. */
  requestId: string | null;
  attempts: number;
  nextAttemptAt: number;
}

const OUTBOX_BATCH = 100;
/** Lanes `publishIndependent` publishes side by side. */
const INDEPENDENT_LANES = 64;

/**
 * Publishes a service's domain events durably on its JetStream stream
 * (docs/adr/0005):
 *
 * - `prepare()` builds and validates an event *before* the write it reports,
 *   so an invalid event refuses the request while nothing is stored yet;
 * - `publish()` runs *after* the write and never throws: it waits for the
 *   stream's acknowledgement (message id = `eventId`, so a repeat is stored
 *   once), and an event that is not acknowledged goes to the outbox, from
 *   which every copy relays it with back-off until it is.
 */
export class EventPublisher {
  readonly stream: string;
  private readonly subjects: ReadonlySet<string>;
  private readonly publishTimeoutMs: number;
  private readonly retry: { baseMs: number; maxMs: number };
  private readonly sweepIntervalMs: number;
  private readonly js: JetStreamClient;
  private streamReady = true;
  /** Events neither acknowledged nor stored in the outbox (its database failed too). */
  private readonly inMemory: PendingEvent[] = [];
  private timer: NodeJS.Timeout | null = null;
  private timerDue = Number.POSITIVE_INFINITY;
  private pass: Promise<void> | null = null;
  private stopped = false;

  private constructor(
    private readonly options: EventPublisherOptions,
    private readonly jsm: JetStreamManager,
  ) {
    this.stream = eventStreamName(options.service);
    this.subjects = new Set(options.publishes.map((contract) => contract.subject));
    for (const subject of this.subjects) {
      if (subjectOwner(subject) !== options.service) {
        throw new Error(`${options.service} cannot publish ${subject}: not its subject`);
      }
    }
    this.publishTimeoutMs = options.publishTimeoutMs ?? 2_000;
    this.retry = options.retry ?? { baseMs: 500, maxMs: 60_000 };
    this.sweepIntervalMs = options.sweepIntervalMs ?? 30_000;
    this.js = options.connection.jetstream();
  }

  /** Ensures the stream exists with the service's subjects, then starts relaying the outbox. */
  static async start(options: EventPublisherOptions): Promise<EventPublisher> {
    const jsm = await jetStreamManager(options.connection, 'the message bus');
    const publisher = new EventPublisher(options, jsm);
    await ensureEventStream(jsm, publisher.stream, [...publisher.subjects]);
    await options.outbox?.createIndexes();
    publisher.schedule(0); // leftovers of an earlier run or of a copy that stopped
    return publisher;
  }

  /**
   * Builds and validates an event. Call it before the write the event
   * reports: an invalid event is a bug (a ContractViolationError, answered as
   * INTERNAL), refused while nothing is stored yet.
   */
  prepare<C extends DomainEventContract>(
    contract: C,
    fields: EventFields<C>,
    meta: Partial<EventMeta> = {},
  ): PreparedEvent<C> {
    if (!this.subjects.has(contract.subject)) {
      throw new Error(`${contract.subject} is not an event of ${this.stream}`);
    }
    const candidate: unknown = {
      eventId: randomUUID(),
      occurredAt: new Date().toISOString(),
      ...fields,
      ...meta,
    };
    const parsed = contract.payload.safeParse(candidate);
    // Our own event: a broken one is our bug (INTERNAL), found before anything is stored.
    if (!parsed.success) {
      throw new ContractViolationError(contract.subject, 'event published', parsed.error);
    }
    return { contract, payload: parsed.data };
  }

  /**
   * The prepared event with fields only known after the write (the exact
   * before/after of a change). Never throws: if the revision is invalid, the
   * prepared event stands and the error is logged.
   */
  revise<C extends DomainEventContract>(
    event: PreparedEvent<C>,
    changes: Partial<EventFields<C>>,
  ): PreparedEvent<C> {
    const parsed = event.contract.payload.safeParse({ ...event.payload, ...changes });
    if (parsed.success) return { contract: event.contract, payload: parsed.data };
    this.options.logger.error(
      {
        subject: event.contract.subject,
        eventId: event.payload.eventId,
        issues: parsed.error.issues,
      },
      'invalid event revision; publishing the event as prepared',
    );
    return event;
  }

  /**
   * Publishes prepared events in order and waits for the stream to
   * acknowledge each. Never throws: call it after the write, which must not
   * fail for it. An event not acknowledged (and every one after it, to keep
   * their order) is stored in the outbox and relayed later.
   */
  async publish(...events: PreparedEvent[]): Promise<void> {
    let failure: unknown = null;
    for (const event of events) {
      const pending: PendingEvent = {
        id: event.payload.eventId,
        subject: event.contract.subject,
        packet: encodeEvent(event.contract.subject, event.payload),
        requestId: currentRequestId() ?? null,
        attempts: 1,
        nextAttemptAt: Date.now() + retryDelayMs(1, this.retry),
      };
      if (failure === null) {
        try {
          await this.send(pending);
          continue;
        } catch (error) {
          failure = error;
        }
      }
      await this.defer(pending, failure);
    }
  }

  /**
   * Many independent events (an audit event per endpoint or command of a
   * bulk): `publish` waits for each acknowledgement in turn, so these go in
   * up to 64 lanes side by side, each lane in order and with `publish`'s
   * guarantees. For events whose relative order does not matter.
   */
  async publishIndependent(events: readonly PreparedEvent[]): Promise<void> {
    const laneSize = Math.max(1, Math.ceil(events.length / INDEPENDENT_LANES));
    const lanes: PreparedEvent[][] = [];
    for (let i = 0; i < events.length; i += laneSize) lanes.push(events.slice(i, i + laneSize));
    await Promise.all(lanes.map((lane) => this.publish(...lane)));
  }

  /** One relay pass now (tests, and shutdown). */
  async relayNow(): Promise<void> {
    this.pass ??= this.relayPass().finally(() => {
      this.pass = null;
    });
    await this.pass;
  }

  /** Events waiting in memory because the outbox failed too. */
  get waitingInMemory(): number {
    return this.inMemory.length;
  }

  /** Stops relaying. Events still only in memory get one last try, then are logged whole. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.pass;
    for (const pending of this.inMemory.splice(0)) {
      if ((await this.leaveMemory(pending)) === 'kept') {
        // Last resort: the log line holds the whole event, so it can be replayed by hand.
        this.options.logger.error(
          { subject: pending.subject, eventId: pending.id, packet: pending.packet },
          'event lost at shutdown: neither published nor stored',
        );
      }
    }
  }

  private async send(pending: PendingEvent): Promise<void> {
    if (!this.streamReady) {
      await ensureEventStream(this.jsm, this.stream, [...this.subjects]);
      this.streamReady = true;
    }
    try {
      let headers: MsgHdrs | undefined;
      if (pending.requestId !== null) {
        headers = natsHeaders();
        headers.set(REQUEST_ID_HEADER, pending.requestId);
      }
      await this.js.publish(pending.subject, eventBytes(pending.packet), {
        msgID: pending.id,
        headers,
        expect: { streamName: this.stream },
        timeout: this.publishTimeoutMs,
      });
    } catch (error) {
      // The stream was deleted: create it again before the next attempt.
      if (isNoStreamError(error)) this.streamReady = false;
      throw error;
    }
  }

  private async defer(pending: PendingEvent, failure: unknown): Promise<void> {
    try {
      await this.store(pending, failure);
      this.options.logger.warn(
        { subject: pending.subject, eventId: pending.id, err: String(failure) },
        'event not acknowledged; kept in the outbox for the relay',
      );
    } catch (storeError) {
      this.inMemory.push(pending);
      this.options.logger.error(
        {
          subject: pending.subject,
          eventId: pending.id,
          err: String(failure),
          outboxError: String(storeError),
        },
        'event not acknowledged and the outbox is unavailable; retrying from memory',
      );
    }
    this.schedule(this.retry.baseMs);
  }

  private async store(pending: PendingEvent, failure: unknown): Promise<void> {
    if (!this.options.outbox) throw new Error('no outbox');
    await this.options.outbox.store(
      {
        _id: pending.id,
        subject: pending.subject,
        packet: pending.packet,
        requestId: pending.requestId,
        createdAt: new Date(),
        nextAttemptAt: new Date(pending.nextAttemptAt),
      },
      String(failure),
    );
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    const due = Date.now() + delayMs;
    if (this.timer && this.timerDue <= due) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerDue = Number.POSITIVE_INFINITY;
      void this.relayNow();
    }, delayMs);
    this.timer.unref();
  }

  private async relayPass(): Promise<void> {
    let waiting = false;
    try {
      waiting = (await this.relayInMemory()) || waiting;
      waiting = (await this.relayOutbox()) || waiting;
    } catch (error) {
      waiting = true;
      this.options.logger.warn({ err: String(error) }, 'event relay pass failed; retrying');
    } finally {
      this.schedule(waiting ? this.retry.baseMs : this.sweepIntervalMs);
    }
  }

  /** True while events remain in memory. */
  private async relayInMemory(): Promise<boolean> {
    const now = Date.now();
    for (const pending of [...this.inMemory]) {
      if (this.stopped) break;
      if (pending.nextAttemptAt > now) continue;
      const outcome = await this.leaveMemory(pending);
      if (outcome === 'kept') {
        pending.attempts++;
        pending.nextAttemptAt = now + retryDelayMs(pending.attempts, this.retry);
        continue;
      }
      this.inMemory.splice(this.inMemory.indexOf(pending), 1);
      this.options.logger.info({ eventId: pending.id }, `event waiting in memory ${outcome}`);
    }
    return this.inMemory.length > 0;
  }

  /** Publishes an event that waits in memory, else moves it to the outbox; `kept` if both fail. */
  private async leaveMemory(
    pending: PendingEvent,
  ): Promise<'published' | 'moved to the outbox' | 'kept'> {
    try {
      await this.send(pending);
      return 'published';
    } catch (error) {
      try {
        await this.store(pending, error);
        return 'moved to the outbox';
      } catch {
        return 'kept';
      }
    }
  }

  /** True while the outbox holds events (due now or later). */
  private async relayOutbox(): Promise<boolean> {
    const outbox = this.options.outbox;
    if (!outbox) return false;
    const now = new Date();
    const due = await outbox.due(now, OUTBOX_BATCH);
    let relayed = 0;
    let failed = 0;
    let lastError: string | null = null;
    for (const entry of due) {
      if (this.stopped) break;
      const retryAt = new Date(now.getTime() + retryDelayMs(entry.attempts + 1, this.retry));
      if (!(await outbox.take(entry, retryAt))) continue; // another copy has it
      try {
        await this.send({
          id: entry._id,
          subject: entry.subject,
          packet: entry.packet,
          requestId: entry.requestId ?? null,
          attempts: entry.attempts + 1,
          nextAttemptAt: retryAt.getTime(),
        });
      } catch (error) {
        failed++;
        lastError = String(error);
        await outbox.noteFailure(entry._id, String(error));
        continue;
      }
      await outbox.remove(entry._id);
      relayed++;
    }
    if (relayed > 0) {
      this.options.logger.info({ relayed, stream: this.stream }, 'events relayed from the outbox');
    }
    if (lastError !== null) {
      this.options.logger.warn(
        { failed, err: lastError },
        'events still not acknowledged; the outbox keeps them',
      );
    }
    return due.length > relayed || (await outbox.pending()) > 0;
  }
}
