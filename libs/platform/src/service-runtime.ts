import type { DynamicModule, INestMicroservice, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import type { ServiceBaseConfig } from './config/service-config';
import { ConfigError } from './config/parse-env';
import type { DependencyCheck } from './health/dependency-check';
import { HealthModule } from './health/health.module';
import { MongoHealthCheck, MongoModule } from './mongo/mongo.module';
import { RedisHealthCheck, RedisModule } from './redis/redis.module';
import { createLogger, type Logger, NestLoggerAdapter } from './logging/logger';
import { LoggerModule } from './logging/logger.module';
import { RpcClientModule } from './rpc/rpc-client.module';
import { DrainingNatsServer } from './rpc/draining-nats.server';
import { RpcErrorFilter } from './rpc/rpc-error.filter';

/**
 * The modules every domain service gets: its logger, a client to call the
 * others, its own database, Redis when it runs queues, and the health handler
 * that checks them.
 */
export function platformModules(config: ServiceBaseConfig, logger: Logger): DynamicModule[] {
  const modules = [
    LoggerModule.forRoot(logger),
    RpcClientModule.forRoot({
      url: config.natsUrl,
      name: `warden-${config.service}-client`,
      timeoutMs: config.rpcTimeoutMs,
    }),
    MongoModule.forRoot(config.mongo),
  ];
  const checks: Type<DependencyCheck>[] = [MongoHealthCheck];
  if (config.redisUrl !== undefined) {
    modules.push(RedisModule.forRoot(config.redisUrl));
    checks.push(RedisHealthCheck);
  }
  return [
    ...modules,
    HealthModule.register({ service: config.service, version: config.version, checks }),
  ];
}

/**
 * Builds a domain service as a Nest microservice on NATS. It subscribes with a
 * queue group named after the service, so N copies share the load instead of
 * each answering every request.
 */
export async function createDomainMicroservice(
  config: ServiceBaseConfig,
  appModule: (logger: Logger) => DynamicModule,
): Promise<INestMicroservice> {
  const logger = createLogger(config.service, config.logLevel);
  const server = new DrainingNatsServer(
    {
      servers: [config.natsUrl],
      queue: config.service,
      name: `warden-${config.service}`,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
    },
    { graceMs: config.shutdownGraceMs, maxInFlight: config.maxInFlight, logger },
  );
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(appModule(logger), {
    strategy: server,
    logger: new NestLoggerAdapter(logger),
  });
  app.useGlobalFilters(new RpcErrorFilter(logger));
  return app;
}

interface Runnable {
  close(): Promise<void>;
}

// Hard stop if a clean shutdown hangs (longest SHUTDOWN_GRACE_MS plus closing connections).
const SHUTDOWN_DEADLINE_MS = 40_000;

/**
 * Entry point of a service process: starts it, stops it cleanly on SIGINT or
 * SIGTERM, and turns a bad configuration into one readable message and exit
 * code 78 (EX_CONFIG) instead of a stack trace.
 */
export function runMain(name: string, start: () => Promise<Runnable>): void {
  const fail = (error: unknown): never => {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    process.stderr.write(
      `${name}: failed to start: ${String(error instanceof Error ? error.stack : error)}\n`,
    );
    process.exit(1);
  };

  start().then((app) => {
    // One line a supervisor (or a test) can wait for instead of polling.
    process.stderr.write(`${name}: ready\n`);
    let stopping = false;
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      process.stderr.write(`${name}: ${signal}, shutting down\n`);
      setTimeout(() => process.exit(1), SHUTDOWN_DEADLINE_MS).unref();
      app.close().then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(`${name}: error while stopping: ${String(error)}\n`);
          process.exit(1);
        },
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }, fail);
}
