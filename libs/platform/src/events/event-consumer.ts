import type { PayloadOf } from '@warden/contracts';
import {
  AckPolicy,
  type ConsumerConfig,
  type ConsumerMessages,
  DeliverPolicy,
  type JsMsg,
  type NatsConnection,
  nanos,
} from 'nats';
import type { Logger } from '../logging/logger';
import { retryDelayMs } from './backoff';
import {
  type DomainEventContract,
  ensureEventStream,
  isApiError,
  jetStreamManager,
  streamOf,
} from './event-stream';
import { decodeEvent } from './event-wire';

/** Which delivery of this event this is (1 = first), and where it sits in its stream. */
export interface EventDelivery {
  attempt: number;
  streamSequence: number;
}

export type EventHandler<C extends DomainEventContract> = (
  event: PayloadOf<C>,
  delivery: EventDelivery,
) => Promise<void>;

export interface EventConsumerOptions<C extends DomainEventContract> {
  connection: NatsConnection;
  /** The consuming service. With the subject it names the durable consumer. */
  consumer: string;
  contract: C;
  /**
   * Called once per delivery; the event is acknowledged only after it
   * resolves. It may run again for the same `eventId` (a crash before the
   * acknowledgement), so it must be idempotent by `eventId`.
   */
  handle: EventHandler<C>;
  logger: Logger;
  /** Where a consumer created now starts: the oldest retained event, or the next one published. */
  startAt?: 'all' | 'new';
  /** Unacknowledged this long (handler gone), an event is delivered again. */
  ackWaitMs?: number;
  /** Delay before redelivering an event whose handler threw. */
  retry?: { baseMs: number; maxMs: number };
}

/** Durable consumer name: `identity__licensing_console_suspended_v1`. */
export function durableConsumerName(consumer: string, subject: string): string {
  return `${consumer}__${subject.replace(/\./g, '_')}`;
}

const CONSUMER_NOT_FOUND = 10014;
const CONSUMER_NAME_IN_USE = 10013;
/** Few messages in hand at once: each one's ack timer runs while earlier ones are handled. */
const PULL_BATCH = 8;

/**
 * A durable JetStream consumer of one event (docs/adr/0005). Its position is
 * kept by the server under a name derived from the consuming service and the
 * subject, so a stopped and restarted consumer — or another copy of the same
 * service, which shares it — carries on where it was. Each event is:
 *
 * - validated against its contract; a malformed one is terminated (never
 *   redelivered) and logged;
 * - handed to the handler, and acknowledged (and the acknowledgement
 *   confirmed by the server) only after the handler resolved;
 * - redelivered with back-off when the handler throws.
 */
export class DurableEventConsumer<C extends DomainEventContract> {
  private readonly retry: { baseMs: number; maxMs: number };
  private readonly ackWaitMs: number;

  private constructor(
    private readonly options: EventConsumerOptions<C>,
    readonly name: string,
    private readonly messages: ConsumerMessages,
    private loop: Promise<void> = Promise.resolve(),
  ) {
    this.retry = options.retry ?? { baseMs: 1_000, maxMs: 5 * 60_000 };
    this.ackWaitMs = options.ackWaitMs ?? 60_000;
  }

  static async start<C extends DomainEventContract>(
    options: EventConsumerOptions<C>,
  ): Promise<DurableEventConsumer<C>> {
    const jsm = await jetStreamManager(options.connection, 'the message bus');
    const stream = streamOf(options.contract);
    // The publisher may not have run yet; it adds its other subjects when it does.
    await ensureEventStream(jsm, stream, [options.contract.subject]);
    const name = durableConsumerName(options.consumer, options.contract.subject);
    const config: Partial<ConsumerConfig> = {
      durable_name: name,
      filter_subject: options.contract.subject,
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(options.ackWaitMs ?? 60_000),
      deliver_policy: options.startAt === 'new' ? DeliverPolicy.New : DeliverPolicy.All,
      max_deliver: -1,
      max_ack_pending: 1_000,
    };
    try {
      await jsm.consumers.info(stream, name);
    } catch (error) {
      if (!isApiError(error, CONSUMER_NOT_FOUND)) throw error;
      try {
        await jsm.consumers.add(stream, config);
      } catch (addError) {
        if (!isApiError(addError, CONSUMER_NAME_IN_USE)) throw addError;
      }
    }
    const consumer = await options.connection.jetstream().consumers.get(stream, name);
    const messages = await consumer.consume({ max_messages: PULL_BATCH });
    const started = new DurableEventConsumer(options, name, messages);
    started.loop = started.run();
    return started;
  }

  /**
   * Stops taking events and waits for the one in hand. The server keeps the
   * position: events published meanwhile are delivered after a restart.
   */
  async stop(): Promise<void> {
    await this.messages.close();
    await this.loop;
  }

  private async run(): Promise<void> {
    for await (const message of this.messages) {
      try {
        await this.deliver(message);
      } catch (error) {
        // Not acknowledged: the server delivers it again after the ack wait.
        this.options.logger.error(
          { subject: message.subject, seq: message.seq, err: String(error) },
          'event delivery failed',
        );
      }
    }
  }

  private async deliver(message: JsMsg): Promise<void> {
    const { contract, logger } = this.options;
    const where = { subject: message.subject, seq: message.seq, consumer: this.name };
    const decoded = decodeEvent(message.data);
    const parsed = decoded && contract.payload.safeParse(decoded.data);
    if (!parsed?.success) {
      logger.error(
        { ...where, issues: parsed?.error.issues ?? 'not a JSON event packet' },
        'malformed event terminated: it will not be delivered again',
      );
      message.term();
      return;
    }

    const attempt = message.info.redeliveryCount;
    const event = parsed.data as PayloadOf<C>;
    // Tell the server the handler is still at it, so a slow handler is not redelivered meanwhile.
    const keepAlive = setInterval(() => message.working(), this.ackWaitMs / 3);
    try {
      await this.options.handle(event, { attempt, streamSequence: message.seq });
    } catch (error) {
      const delayMs = retryDelayMs(attempt, this.retry);
      logger.warn(
        { ...where, eventId: event.eventId, attempt, retryInMs: delayMs, err: String(error) },
        'event handler failed; the event will be delivered again',
      );
      message.nak(delayMs);
      return;
    } finally {
      clearInterval(keepAlive);
    }
    try {
      await message.ackAck();
      logger.debug({ ...where, eventId: event.eventId }, 'event acknowledged');
    } catch (error) {
      // The handler's work is done; a redelivery meets an idempotent handler.
      logger.warn(
        { ...where, eventId: event.eventId, err: String(error) },
        'acknowledgement not confirmed; the event may be delivered again',
      );
    }
  }
}
