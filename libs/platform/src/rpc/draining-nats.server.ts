import { ServerNats } from '@nestjs/microservices';
import { JSONCodec, type Msg, type NatsConnection, type Subscription } from 'nats';
import type { ErrorBody } from '@warden/contracts';
import type { Logger } from '../logging/logger';
import {
  REQUEST_ID_HEADER,
  requestIdFrom,
  runWithRequestContext,
} from '../logging/request-context';
import { DEADLINE_HEADER } from './deadline';

type NatsOptions = ConstructorParameters<typeof ServerNats>[0];

const codec = JSONCodec<unknown>();

/**
 * Nest's NATS server, with a shutdown that loses no request. Nest's own
 * graceful mode unsubscribes and sleeps a fixed time, then closes the
 * connection, dropping the replies of handlers that are still running and any
 * message the NATS server routed here just before the unsubscribe. This one:
 *
 * 1. drains each subscription: the NATS server stops routing to this copy
 *    (the queue group's other copies get new requests) and the messages
 *    already on their way here are still handled;
 * 2. waits until every request in flight has been answered, at most `graceMs`;
 * 3. flushes the replies, then closes.
 *
 * Each message is handled inside its request's context (the `x-request-id`
 * NATS header the caller sent, or a fresh id), so every log line the handler
 * and the error filter write carries the request id.
 *
 * It sheds what it cannot finish in time instead of letting a burst turn into
 * timeouts (whose outcome the caller cannot know): a request that arrives
 * while `maxInFlight` are being worked on is answered at once with
 * SERVICE_UNAVAILABLE (nothing was done, retry later), and one whose caller's
 * deadline (`x-deadline` header) has already passed is dropped unhandled.
 */
export class DrainingNatsServer extends ServerNats {
  private inFlight = 0;
  private wakeWhenIdle: Array<() => void> = [];

  private readonly graceMs: number;
  private readonly maxInFlight: number;
  private readonly shedLog: Logger | undefined;

  constructor(
    options: NatsOptions,
    limits: { graceMs: number; maxInFlight?: number; logger?: Logger },
  ) {
    super({ ...options, gracefulShutdown: false });
    this.graceMs = limits.graceMs;
    this.maxInFlight = limits.maxInFlight ?? Number.POSITIVE_INFINITY;
    this.shedLog = limits.logger;
  }

  /**
   * Ready once the NATS server has the subscriptions, not merely once they
   * were sent: a flush round-trips after the SUBs, so a request made right
   * after `listen()` resolves (by a test, or a caller during a rolling
   * start) finds this copy instead of "no responders".
   */
  override start(callback: (error?: unknown) => void): void {
    super.start((error?: unknown) => {
      if (error !== undefined) return callback(error);
      const client = (this as unknown as { natsClient?: NatsConnection }).natsClient;
      if (!client) return callback();
      client.flush().then(
        () => callback(),
        (flushError: unknown) => callback(flushError),
      );
    });
  }

  override async handleMessage(channel: string, natsMsg: unknown): Promise<unknown> {
    const msg = natsMsg as Msg | null;
    // Only requests are shed (events have no reply to tell the sender).
    if (msg?.reply) {
      const deadline = Number(msg.headers?.get(DEADLINE_HEADER) ?? Number.NaN);
      if (Date.now() >= deadline) {
        this.shedLog?.warn({ subject: channel }, 'request dropped: its caller gave up already');
        return undefined;
      }
      if (this.inFlight >= this.maxInFlight) return this.refuseBusy(channel, msg);
    }
    this.inFlight++;
    try {
      const requestId = requestIdFrom((natsMsg as Msg | null)?.headers?.get(REQUEST_ID_HEADER));
      return (await runWithRequestContext({ requestId }, () =>
        super.handleMessage(channel, natsMsg),
      )) as unknown;
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) this.wakeIdleWaiters();
    }
  }

  /** Answers in Nest's reply format, without handling: nothing was done. */
  private refuseBusy(channel: string, msg: Msg): undefined {
    let id: unknown;
    try {
      id = (codec.decode(msg.data) as { id?: unknown } | null)?.id;
    } catch {
      id = undefined;
    }
    const err: ErrorBody = {
      code: 'SERVICE_UNAVAILABLE',
      message: 'the service is busy and did not start this request; retry shortly',
    };
    msg.respond(codec.encode({ id, err, isDisposed: true }));
    this.shedLog?.warn(
      { subject: channel, inFlight: this.inFlight, maxInFlight: this.maxInFlight },
      'request shed: too many in flight',
    );
    return undefined;
  }

  override async close(): Promise<void> {
    const connection = this.connectionOrNull();
    if (connection && !connection.isClosed()) {
      // Private in Nest's typings; the element access is deliberate and limited to this class.
      const subscriptions = this['subscriptions'] as Subscription[];
      await Promise.allSettled(subscriptions.map((subscription) => subscription.drain()));
      await this.idle();
      // Replies are published on the tick after a handler resolves.
      await new Promise((done) => setImmediate(done));
      await connection.flush().catch(() => undefined);
    }
    await super.close();
  }

  private idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((done) => {
      const timer = setTimeout(done, this.graceMs);
      this.wakeWhenIdle.push(() => {
        clearTimeout(timer);
        done();
      });
    });
  }

  private wakeIdleWaiters(): void {
    const waiters = this.wakeWhenIdle;
    this.wakeWhenIdle = [];
    waiters.forEach((wake) => wake());
  }

  private connectionOrNull(): NatsConnection | null {
    try {
      return this.unwrap<NatsConnection>();
    } catch {
      return null; // never connected
    }
  }
}
