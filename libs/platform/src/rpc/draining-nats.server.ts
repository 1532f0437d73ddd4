import { ServerNats } from '@nestjs/microservices';
import type { Msg, NatsConnection, Subscription } from 'nats';
import {
  REQUEST_ID_HEADER,
  requestIdFrom,
  runWithRequestContext,
} from '../logging/request-context';

type NatsOptions = ConstructorParameters<typeof ServerNats>[0];

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
 */
export class DrainingNatsServer extends ServerNats {
  private inFlight = 0;
  private wakeWhenIdle: Array<() => void> = [];

  constructor(
    options: NatsOptions,
    private readonly graceMs: number,
  ) {
    super({ ...options, gracefulShutdown: false });
  }

  override async handleMessage(channel: string, natsMsg: unknown): Promise<unknown> {
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
