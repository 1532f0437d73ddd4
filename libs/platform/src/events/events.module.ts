import {
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationShutdown,
  type OnModuleDestroy,
} from '@nestjs/common';
import { connect, type NatsConnection } from 'nats';
import type { Connection } from 'mongoose';
import { LOGGER } from '../logging/logger.module';
import type { Logger } from '../logging/logger';
import { MONGO_CONNECTION } from '../mongo/mongo.module';
import { DurableEventConsumer, type EventHandler } from './event-consumer';
import { EventOutbox } from './event-outbox';
import { EventPublisher } from './event-publisher';
import type { DomainEventContract } from './event-stream';

/** Injection token of the events' own NATS connection. */
export const EVENTS_CONNECTION = Symbol('EVENTS_CONNECTION');
const EVENTS_OPTIONS = Symbol('EVENTS_OPTIONS');

export interface EventsModuleOptions {
  service: string;
  natsUrl: string;
  /** Every event the service publishes (its stream's subjects); none for a pure consumer. */
  publishes: readonly DomainEventContract[];
}

/**
 * Starts durable consumers for a service; each one stops with the
 * application, after the requests in flight were answered.
 */
@Injectable()
export class EventSubscriptions implements OnModuleDestroy {
  private readonly consumers: DurableEventConsumer<DomainEventContract>[] = [];

  constructor(
    @Inject(EVENTS_CONNECTION) private readonly connection: NatsConnection,
    @Inject(EVENTS_OPTIONS) private readonly options: EventsModuleOptions,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Call from `onApplicationBootstrap`; the handler must be idempotent by `eventId`. */
  async subscribe<C extends DomainEventContract>(
    contract: C,
    handle: EventHandler<C>,
  ): Promise<void> {
    const consumer = await DurableEventConsumer.start({
      connection: this.connection,
      consumer: this.options.service,
      contract,
      handle,
      logger: this.logger,
    });
    this.consumers.push(consumer as unknown as DurableEventConsumer<DomainEventContract>);
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.consumers.splice(0).map((consumer) => consumer.stop()));
  }
}

@Injectable()
class EventsShutdown implements OnModuleDestroy, OnApplicationShutdown {
  constructor(
    @Inject(EVENTS_CONNECTION) private readonly connection: NatsConnection,
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
  ) {}

  // Before the database closes (application shutdown): the relay may still store events.
  async onModuleDestroy(): Promise<void> {
    await this.publisher.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.connection.isClosed()) await this.connection.drain();
  }
}

/**
 * Durable domain events on JetStream (docs/adr/0005): an `EventPublisher`
 * for the service's own events, with its outbox in the service's database,
 * and `EventSubscriptions` for the events it consumes. Start-up fails when
 * the server has no JetStream.
 */
@Module({})
export class EventsModule {
  static forRoot(options: EventsModuleOptions): DynamicModule {
    return {
      module: EventsModule,
      providers: [
        { provide: EVENTS_OPTIONS, useValue: options },
        {
          provide: EVENTS_CONNECTION,
          useFactory: (): Promise<NatsConnection> =>
            connect({
              servers: options.natsUrl,
              name: `warden-${options.service}-events`,
              maxReconnectAttempts: -1,
              reconnectTimeWait: 250,
            }),
        },
        {
          provide: EventPublisher,
          inject: [EVENTS_CONNECTION, MONGO_CONNECTION, LOGGER],
          useFactory: (connection: NatsConnection, mongo: Connection, logger: Logger) => {
            if (!mongo.db) throw new Error('the database connection is not open');
            return EventPublisher.start({
              service: options.service,
              publishes: options.publishes,
              connection,
              outbox: new EventOutbox(mongo.db),
              logger,
            });
          },
        },
        EventSubscriptions,
        EventsShutdown,
      ],
      exports: [EventPublisher, EventSubscriptions],
    };
  }
}
