import { defineEvent, eventMetaSchema, type PayloadOf } from '@warden/contracts';
import mongoose, { type Connection } from 'mongoose';
import { connect, type JetStreamManager, type NatsConnection } from 'nats';
import pino from 'pino';
import { z } from 'zod';
import { ContractViolationError, toErrorBody } from '../errors/domain-error';
import type { Logger } from '../logging/logger';
import { durableConsumerName, DurableEventConsumer, type EventDelivery } from './event-consumer';
import { EventOutbox } from './event-outbox';
import { EventPublisher } from './event-publisher';
import { eventStreamName } from './event-stream';
import { encodeEvent } from './event-wire';
import { createSignal } from '../../test/signal';
import { testServer } from '../../test/test-servers';

/** A publishing "service" of its own per test: its own stream, subjects and consumers. */
function freshService() {
  const service = `evt${Math.random()
    .toString(36)
    .replace(/[^a-z]/g, '')}`;
  const happened = defineEvent(
    `${service}.thing.happened.v1`,
    eventMetaSchema.extend({ n: z.number().int() }),
  );
  return { service, happened, stream: eventStreamName(service) };
}

type Happened = ReturnType<typeof freshService>['happened'];

/** Poked by every log line the publishers and consumers write: what the tests wait on. */
const signal = createSignal();

/** A logger whose lines the test can read. */
function capturingLogger(): { logger: Logger; lines: { msg: string }[] } {
  const lines: { msg: string }[] = [];
  const logger = pino(
    // Debug: a consumer logs each acknowledgement there, which tests wait for.
    { level: 'debug' },
    {
      write: (line: string) => {
        lines.push(JSON.parse(line) as { msg: string });
        signal.poke();
      },
    },
  );
  return { logger, lines };
}

describe('durable events on JetStream (real nats-server with JetStream)', () => {
  let connection: NatsConnection;
  let jsm: JetStreamManager;
  let database: Connection;
  const publishers: EventPublisher[] = [];
  const consumers: DurableEventConsumer<Happened>[] = [];

  beforeAll(async () => {
    connection = await connect({ servers: testServer('WARDEN_TEST_NATS_URL') });
    jsm = await connection.jetstreamManager();
    database = await mongoose
      .createConnection(testServer('WARDEN_TEST_MONGODB_URI'), {
        dbName: `t_events_${process.pid}_${Date.now().toString(36)}`,
        autoIndex: false,
        autoCreate: false,
      })
      .asPromise();
  });

  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((consumer) => consumer.stop()));
    await Promise.all(publishers.splice(0).map((publisher) => publisher.stop()));
  });

  afterAll(async () => {
    await database.dropDatabase();
    await database.close();
    await connection.drain();
  });

  async function startPublisher(
    world: ReturnType<typeof freshService>,
    options: { outbox?: EventOutbox | null; logger?: Logger } = {},
  ): Promise<EventPublisher> {
    const publisher = await EventPublisher.start({
      service: world.service,
      publishes: [world.happened],
      connection,
      outbox: options.outbox === undefined ? new EventOutbox(database.db!) : options.outbox,
      logger: options.logger ?? capturingLogger().logger,
      retry: { baseMs: 20, maxMs: 200 },
    });
    publishers.push(publisher);
    return publisher;
  }

  async function startConsumer(
    world: ReturnType<typeof freshService>,
    handle: (event: PayloadOf<Happened>, delivery: EventDelivery) => Promise<void>,
    logger: Logger = capturingLogger().logger,
  ): Promise<DurableEventConsumer<Happened>> {
    const consumer = await DurableEventConsumer.start({
      connection,
      consumer: 'tester',
      contract: world.happened,
      handle,
      logger,
      retry: { baseMs: 20, maxMs: 200 },
    });
    consumers.push(consumer);
    return consumer;
  }

  const stopConsumer = async (consumer: DurableEventConsumer<Happened>): Promise<void> => {
    consumers.splice(consumers.indexOf(consumer), 1);
    await consumer.stop();
  };

  const storedMessages = async (stream: string): Promise<number> =>
    (await jsm.streams.info(stream)).state.messages;

  const consumerState = (world: ReturnType<typeof freshService>) =>
    jsm.consumers.info(world.stream, durableConsumerName('tester', world.happened.subject));

  /** Every event handed over and acknowledged: nothing left to deliver again. */
  const settled = async (world: ReturnType<typeof freshService>): Promise<boolean> => {
    const state = await consumerState(world);
    return state.num_pending === 0 && state.num_ack_pending === 0;
  };

  it('creates the stream with exactly the service’s event subjects', async () => {
    const world = freshService();
    await startPublisher(world);

    const info = await jsm.streams.info(world.stream);

    expect(info.config.subjects).toEqual([world.happened.subject]);
    expect(info.config.duplicate_window).toBeGreaterThan(0);
  });

  it('stores an event published twice with the same id once', async () => {
    const world = freshService();
    const publisher = await startPublisher(world);
    const event = publisher.prepare(world.happened, { n: 1 });

    await publisher.publish(event);
    await publisher.publish(event);
    await publisher.publish(publisher.prepare(world.happened, { n: 1 }));

    expect(await storedMessages(world.stream)).toBe(2);
  });

  it('refuses an invalid event before anything is published, as our own bug', async () => {
    const world = freshService();
    const publisher = await startPublisher(world);
    const invalid = { n: 'one' } as unknown as { n: number };

    const refusal = (() => {
      try {
        publisher.prepare(world.happened, invalid);
      } catch (error) {
        return error;
      }
      return null;
    })();

    expect(refusal).toBeInstanceOf(ContractViolationError);
    expect(refusal).toMatchObject({ side: 'event published', issues: [{ path: 'n' }] });
    expect(toErrorBody(refusal)).toEqual({ code: 'INTERNAL', message: 'internal error' });
    expect(await storedMessages(world.stream)).toBe(0);
  });

  it('refuses an event of another service’s subject', async () => {
    const world = freshService();
    const other = freshService();
    const publisher = await startPublisher(world);

    expect(() => publisher.prepare(other.happened, { n: 1 })).toThrow(/is not an event of/);
  });

  it('delivers every event exactly once across a consumer stop and restart', async () => {
    const world = freshService();
    const publisher = await startPublisher(world);
    const received: string[] = [];
    const handle = (event: PayloadOf<Happened>) => {
      received.push(event.eventId);
      return Promise.resolve();
    };
    const published: string[] = [];
    const publish = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const event = publisher.prepare(world.happened, { n: published.length });
        published.push(event.payload.eventId);
        await publisher.publish(event);
      }
    };

    const first = await startConsumer(world, handle);
    await publish(3);
    await signal.until(() => received.length === 3, 'the first 3 events');
    await stopConsumer(first);

    await publish(50);
    expect((await consumerState(world)).num_pending).toBe(50); // the server kept them

    await startConsumer(world, handle);
    await signal.until(() => received.length >= 53, 'the 50 events published while stopped');
    await signal.until(() => settled(world), 'every event acknowledged');

    expect(received).toHaveLength(53);
    expect(new Set(received).size).toBe(53);
    expect([...received].sort()).toEqual([...published].sort());
  });

  it('redelivers an event whose handler threw, and acknowledges it once handled', async () => {
    const world = freshService();
    const publisher = await startPublisher(world);
    const attempts: number[] = [];
    await startConsumer(world, (_event, delivery) => {
      attempts.push(delivery.attempt);
      return attempts.length === 1
        ? Promise.reject(new Error('database away for a moment'))
        : Promise.resolve();
    });

    await publisher.publish(publisher.prepare(world.happened, { n: 7 }));
    await signal.until(() => attempts.length === 2, 'the redelivery');
    await signal.until(() => settled(world), 'the acknowledgement');

    expect(attempts).toEqual([1, 2]);
  });

  it('terminates a malformed event, logs it and carries on with the next', async () => {
    const world = freshService();
    const publisher = await startPublisher(world);
    const { logger, lines } = capturingLogger();
    const received: number[] = [];
    await startConsumer(
      world,
      (event) => {
        received.push(event.n);
        return Promise.resolve();
      },
      logger,
    );
    const js = connection.jetstream();

    await js.publish(world.happened.subject, new TextEncoder().encode('not json'));
    await js.publish(
      world.happened.subject,
      new TextEncoder().encode(encodeEvent(world.happened.subject, { n: 'no id' })),
    );
    await publisher.publish(publisher.prepare(world.happened, { n: 3 }));
    await signal.until(() => received.length === 1, 'the valid event');
    await signal.until(() => settled(world), 'nothing left to deliver');

    expect(received).toEqual([3]);
    expect((await consumerState(world)).num_redelivered).toBe(0);
    expect(lines.filter((line) => line.msg.startsWith('malformed event terminated'))).toHaveLength(
      2,
    );
  });

  it('shares one durable consumer between copies: each event is handled by one of them', async () => {
    const world = freshService();
    const publisher = await startPublisher(world);
    const handled: string[] = [];
    const handle = (event: PayloadOf<Happened>) => {
      handled.push(event.eventId);
      return Promise.resolve();
    };
    await startConsumer(world, handle);
    await startConsumer(world, handle);

    for (let i = 0; i < 40; i++)
      await publisher.publish(publisher.prepare(world.happened, { n: i }));
    await signal.until(() => handled.length >= 40, '40 events');
    await signal.until(() => settled(world), 'every event acknowledged');

    expect(new Set(handled).size).toBe(40);
    expect(handled).toHaveLength(40);
  });

  it('keeps an event the stream did not acknowledge in the outbox, relays it and never fails the caller', async () => {
    const world = freshService();
    const outbox = new EventOutbox(database.db!);
    const publisher = await startPublisher(world, { outbox });
    const before = await outbox.pending();
    await jsm.streams.delete(world.stream); // the stream is gone: publishes are refused

    const event = publisher.prepare(world.happened, { n: 42 });
    await expect(publisher.publish(event)).resolves.toBeUndefined();
    expect(await outbox.pending()).toBe(before + 1);

    // The relay creates the stream again and publishes; a copy relaying the same entry is de-duplicated.
    await signal.until(async () => (await outbox.pending()) === before, 'the relay');
    const received: string[] = [];
    await startConsumer(world, (e) => {
      received.push(e.eventId);
      return Promise.resolve();
    });
    await signal.until(() => received.length === 1, 'the relayed event');
    await signal.until(() => settled(world), 'the acknowledgement');

    expect(received).toEqual([event.payload.eventId]);
    expect(await storedMessages(world.stream)).toBe(1);
  });

  it('retries from memory when the outbox is unavailable too', async () => {
    const world = freshService();
    const { logger, lines } = capturingLogger();
    const publisher = await startPublisher(world, { outbox: null, logger });
    await jsm.streams.delete(world.stream);

    await publisher.publish(publisher.prepare(world.happened, { n: 1 }));
    expect(lines.map((line) => line.msg)).toContain(
      'event not acknowledged and the outbox is unavailable; retrying from memory',
    );

    await signal.until(() => publisher.waitingInMemory === 0, 'the retry from memory');
    expect(await storedMessages(world.stream)).toBe(1);
  });
});
