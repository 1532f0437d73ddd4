import { type EventMeta, licensingEvents } from '@warden/contracts';
import {
  createLogger,
  durableConsumerName,
  DurableEventConsumer,
  type DomainEventContract,
  streamOf,
} from '@warden/platform';
import { testServers } from '@warden/testing';
import { connect } from 'nats';

export interface CollectedEvent {
  subject: string;
  event: EventMeta & Record<string, unknown>;
}

/**
 * Reads every licensing event as a consuming service would: one durable
 * consumer per subject (under a name of its own), starting at the next event
 * published. `settled()` is true once the server has nothing left to deliver
 * to them and every delivery was acknowledged.
 */
export async function collectLicensingEvents(): Promise<{
  events: CollectedEvent[];
  settled(): Promise<boolean>;
  stop(): Promise<void>;
}> {
  const connection = await connect({ servers: testServers().natsUrl });
  const jsm = await connection.jetstreamManager();
  const consumer = `collector${Math.random()
    .toString(36)
    .replace(/[^a-z]/g, '')}`;
  const logger = createLogger('licensing-test', 'warn');
  const events: CollectedEvent[] = [];
  const contracts: DomainEventContract[] = Object.values(licensingEvents);
  const consumers = await Promise.all(
    contracts.map((contract) =>
      DurableEventConsumer.start({
        connection,
        consumer,
        contract,
        logger,
        startAt: 'new',
        handle: (event) => {
          events.push({ subject: contract.subject, event });
          return Promise.resolve();
        },
      }),
    ),
  );
  return {
    events,
    async settled() {
      const states = await Promise.all(
        contracts.map((contract) =>
          jsm.consumers.info(streamOf(contract), durableConsumerName(consumer, contract.subject)),
        ),
      );
      return states.every((state) => state.num_pending === 0 && state.num_ack_pending === 0);
    },
    async stop() {
      await Promise.all(consumers.map((c) => c.stop()));
      await Promise.all(
        contracts.map((contract) =>
          jsm.consumers.delete(streamOf(contract), durableConsumerName(consumer, contract.subject)),
        ),
      );
      await connection.drain();
    },
  };
}

/** Polls until `check` holds: wait for events, never for a length of time. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  what: string,
): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((done) => setTimeout(done, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}
