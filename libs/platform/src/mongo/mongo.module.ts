import {
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import mongoose, { type Connection } from 'mongoose';
import type { MongoConfig } from '../config/service-config';
import type { DependencyCheck } from '../health/dependency-check';

/** Injection token of the service's own mongoose connection. */
export const MONGO_CONNECTION = Symbol('MONGO_CONNECTION');

@Injectable()
export class MongoHealthCheck implements DependencyCheck {
  readonly name = 'mongodb';
  constructor(@Inject(MONGO_CONNECTION) private readonly connection: Connection) {}

  async check(): Promise<void> {
    const db = this.connection.db;
    if (!db) throw new Error('not connected');
    await db.command({ ping: 1 });
  }
}

@Injectable()
class MongoConnectionCloser implements OnApplicationShutdown {
  constructor(@Inject(MONGO_CONNECTION) private readonly connection: Connection) {}
  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}

/**
 * One connection to the service's own database. Start-up waits for it, so a
 * service never accepts work it cannot store; indexes are built by each
 * repository at start (`syncIndexes`) because they carry invariants (DESIGN §6).
 */
@Module({})
export class MongoModule {
  static forRoot(config: MongoConfig): DynamicModule {
    return {
      module: MongoModule,
      global: true,
      providers: [
        {
          provide: MONGO_CONNECTION,
          useFactory: async (): Promise<Connection> => {
            // Mongoose otherwise records a stack trace for every query it runs,
            // a fifth of a read's CPU; errors keep the stack of where they surface.
            mongoose.set('skipOriginalStackTraces', true);
            const connection = mongoose.createConnection(config.uri, {
              dbName: config.dbName,
              serverSelectionTimeoutMS: 10_000,
              // Schemas declare their indexes; repositories create them explicitly at start.
              autoIndex: false,
              autoCreate: false,
            });
            await connection.asPromise();
            return connection;
          },
        },
        MongoConnectionCloser,
        MongoHealthCheck,
      ],
      exports: [MONGO_CONNECTION, MongoHealthCheck],
    };
  }
}
