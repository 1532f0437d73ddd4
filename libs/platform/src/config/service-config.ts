import type { DomainService } from '@warden/contracts';
import type { z } from 'zod';
import type { baseEnvSchema, LogLevel, mongoEnvSchema } from './parse-env';

export interface MongoConfig {
  uri: string;
  dbName: string;
}

/** What every domain service needs to join the system. */
export interface ServiceBaseConfig {
  service: DomainService;
  version: string;
  natsUrl: string;
  logLevel: LogLevel;
  rpcTimeoutMs: number;
  shutdownGraceMs: number;
  /** Requests worked on at once; more are shed (DrainingNatsServer). */
  maxInFlight: number;
  mongo: MongoConfig;
  /** Only services that run BullMQ queues (command) set it. */
  redisUrl?: string;
}

type BaseEnv = z.output<typeof baseEnvSchema> & z.output<ReturnType<typeof mongoEnvSchema>>;

/** The part of a service's config every service shares, from its parsed environment. */
export function serviceBaseConfig(service: DomainService, env: BaseEnv): ServiceBaseConfig {
  return {
    service,
    version: env.WARDEN_VERSION,
    natsUrl: env.NATS_URL,
    logLevel: env.LOG_LEVEL,
    rpcTimeoutMs: env.RPC_TIMEOUT_MS,
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    maxInFlight: env.MAX_IN_FLIGHT,
    mongo: { uri: env.MONGODB_URI, dbName: env.MONGODB_DB },
  };
}
