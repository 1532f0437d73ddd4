import { randomUUID } from 'node:crypto';
import {
  type EventContract,
  type PayloadOf,
  type ReplyOf,
  type RequestOf,
  type RpcContract,
} from '@warden/contracts';
import {
  connect,
  ErrorCode as NatsErrorCode,
  Events as NatsEvents,
  headers as natsHeaders,
  JSONCodec,
  type MsgHdrs,
  type NatsConnection,
  NatsError,
  type Subscription,
} from 'nats';
import { ContractViolationError, DomainError, fromErrorBody } from '../errors/domain-error';
import { decodeEvent } from '../events/event-wire';
import { currentRequestId, REQUEST_ID_HEADER } from '../logging/request-context';
import { DEADLINE_HEADER } from './deadline';
import { repliesChecked } from './reply-checks';

export interface RequestOptions {
  timeoutMs?: number;
}

/** The packet shape `@nestjs/microservices` (NATS transport) reads and writes. */
interface NestReplyPacket {
  response?: unknown;
  err?: unknown;
}

const codec = JSONCodec<unknown>();

/**
 * Typed request/reply and events over NATS. Each call is tied to its contract,
 * so the subject, the request and the reply types travel together, and both
 * ends validate with the same zod schemas.
 *
 * It speaks the wire format of Nest's NATS transport (`{pattern, data, id}` in,
 * `{response | err, isDisposed, id}` out) but uses `nats`' own request(), which
 * multiplexes replies over one inbox subscription and fails fast with
 * "no responders" when no copy of the target service is running.
 */
export class NatsRpcClient {
  private readonly reconnectListeners: Array<() => void> = [];
  private watchingStatus = false;

  private constructor(
    private readonly connection: NatsConnection,
    private readonly defaultTimeoutMs: number,
  ) {}

  static async connect(options: {
    url: string;
    name: string;
    timeoutMs: number;
  }): Promise<NatsRpcClient> {
    const connection = await connect({
      servers: options.url,
      name: options.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
    });
    return new NatsRpcClient(connection, options.timeoutMs);
  }

  async request<C extends RpcContract>(
    contract: C,
    payload: RequestOf<C>,
    options: RequestOptions = {},
  ): Promise<ReplyOf<C>> {
    // Not parsed here: the receiving handler parses every request (reply-checks.ts).
    const packet = { pattern: contract.subject, data: payload, id: randomUUID() };
    let reply: NestReplyPacket;
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    try {
      const message = await this.connection.request(contract.subject, codec.encode(packet), {
        timeout: timeoutMs,
        headers: requestHeaders(Date.now() + timeoutMs),
      });
      reply = codec.decode(message.data) as NestReplyPacket;
    } catch (error) {
      throw transportError(error, contract.subject);
    }

    if (reply.err !== undefined && reply.err !== null) throw fromErrorBody(reply.err);
    if (!repliesChecked()) return reply.response;
    const result = contract.reply.safeParse(reply.response);
    if (!result.success) {
      throw new ContractViolationError(contract.subject, 'reply received', result.error);
    }
    return result.data as ReplyOf<C>;
  }

  /** Publishes a fact. Fire-and-forget at the NATS level; callers own durability. */
  emit<C extends EventContract>(contract: C, payload: PayloadOf<C>): void {
    const checked = contract.payload.safeParse(payload);
    // Our own payload: a broken one is our bug (INTERNAL), not the client's VALIDATION_FAILED.
    if (!checked.success) {
      throw new ContractViolationError(contract.subject, 'event published', checked.error);
    }
    const data: unknown = checked.data;
    const headers = requestHeaders();
    this.connection.publish(
      contract.subject,
      codec.encode({ pattern: contract.subject, data }),
      headers ? { headers } : undefined,
    );
  }

  /**
   * A plain core-NATS subscription to an event, without a queue group: every
   * copy of the subscribing process sees every message (events published to
   * JetStream reach core subscribers of the subject too). For state a process
   * keeps in memory and must drop when it changes, not for work to be done
   * once: a message sent while the connection is down is lost, so pair it
   * with `onReconnect`. A message that does not match the contract goes to
   * `onInvalid` and never to `handle`.
   */
  subscribe<C extends EventContract>(
    contract: C,
    handle: (payload: PayloadOf<C>) => void,
    onInvalid: (problem: string) => void = () => undefined,
  ): Subscription {
    return this.connection.subscribe(contract.subject, {
      callback: (error, message) => {
        if (error) return onInvalid(String(error));
        const packet = decodeEvent(message.data);
        const parsed = packet && contract.payload.safeParse(packet.data);
        if (!parsed?.success) return onInvalid(`not a ${contract.subject} event`);
        handle(parsed.data as PayloadOf<C>);
      },
    });
  }

  /** Calls `listener` each time the connection comes back after a loss (subscriptions resume, missed messages do not). */
  onReconnect(listener: () => void): void {
    this.reconnectListeners.push(listener);
    if (this.watchingStatus) return;
    this.watchingStatus = true;
    void (async () => {
      for await (const status of this.connection.status()) {
        if (status.type === NatsEvents.Reconnect)
          this.reconnectListeners.forEach((notify) => notify());
      }
    })();
  }

  /** Waits until everything published so far has reached the server. */
  async flush(): Promise<void> {
    await this.connection.flush();
  }

  async close(): Promise<void> {
    if (!this.connection.isClosed()) await this.connection.drain();
  }
}

/**
 * The id of the request being handled travels with every message sent on its
 * behalf, and a request carries the moment its caller stops waiting.
 */
function requestHeaders(deadline?: number): MsgHdrs | undefined {
  const requestId = currentRequestId();
  if (requestId === undefined && deadline === undefined) return undefined;
  const headers = natsHeaders();
  if (requestId !== undefined) headers.set(REQUEST_ID_HEADER, requestId);
  if (deadline !== undefined) headers.set(DEADLINE_HEADER, String(deadline));
  return headers;
}

// The subject goes to the log line only (logContext): internal names never reach HTTP clients.
function transportError(error: unknown, subject: string): DomainError {
  const code = error instanceof NatsError ? error.code : String(error);
  // Nothing reached a handler: safe to retry as it is.
  if (code === String(NatsErrorCode.NoResponders)) {
    return new DomainError('SERVICE_UNAVAILABLE', 'the service is not running', undefined, {
      subject,
    });
  }
  if (NOT_SENT.has(code)) {
    return new DomainError('SERVICE_UNAVAILABLE', 'the message bus is unavailable', undefined, {
      subject,
    });
  }
  // Sent, but no answer: the work may have been done. Only the same
  // idempotency key makes a retry safe, so the caller must be told so.
  return new DomainError(
    'OUTCOME_UNKNOWN',
    'no answer in time: the request may or may not have taken effect; ' +
      'retrying with the same Idempotency-Key is safe',
    undefined,
    { subject, cause: code },
  );
}

const NOT_SENT = new Set<string>([
  NatsErrorCode.ConnectionClosed,
  NatsErrorCode.ConnectionDraining,
]);
