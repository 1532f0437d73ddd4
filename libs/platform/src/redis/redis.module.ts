import {
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Redis } from 'ioredis';
import type { DependencyCheck } from '../health/dependency-check';

export const REDIS_CONNECTION = Symbol('REDIS_CONNECTION');

@Injectable()
export class RedisHealthCheck implements DependencyCheck {
  readonly name = 'redis';
  constructor(@Inject(REDIS_CONNECTION) private readonly redis: Redis) {}

  async check(): Promise<void> {
    await this.redis.ping();
  }
}

@Injectable()
class RedisConnectionCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CONNECTION) private readonly redis: Redis) {}
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** A shared ioredis connection, set up the way BullMQ requires. */
@Module({})
export class RedisModule {
  static forRoot(url: string): DynamicModule {
    return {
      module: RedisModule,
      global: true,
      providers: [
        {
          provide: REDIS_CONNECTION,
          useFactory: async (): Promise<Redis> => {
            // BullMQ workers block on Redis; it requires maxRetriesPerRequest: null.
            const redis = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true });
            await redis.connect();
            return redis;
          },
        },
        RedisConnectionCloser,
        RedisHealthCheck,
      ],
      exports: [REDIS_CONNECTION, RedisHealthCheck],
    };
  }
}
