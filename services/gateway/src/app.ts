import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { createLogger, NestLoggerAdapter } from '@warden/platform';
import type { DestinationStream } from 'pino';
import type { GatewayConfig } from './config';
import { edgeServerOptions, installEdge } from './edge/http-edge';
import { RateLimiter } from './edge/rate-limiter';
import { connectGatewayRedis } from './edge/redis-connection';
import { RouteTable } from './edge/route-table';
import { HttpErrorFilter } from './errors/http-error.filter';
import { GatewayModule } from './gateway.module';
import { installWebConsole } from './web-console/web-console';

export interface GatewayAppOptions {
  /** Where log lines go instead of stdout (tests read them). */
  logDestination?: DestinationStream;
}

/** Builds the gateway (not listening yet): the only HTTP entry point of the system. */
export async function createGatewayApp(
  config: GatewayConfig,
  options: GatewayAppOptions = {},
): Promise<NestFastifyApplication> {
  const logger = createLogger('gateway', config.logLevel, options.logDestination);
  const redis = await connectGatewayRedis(config.redisUrl, logger);
  const limiter = new RateLimiter(redis, config.rateLimits, config.redisKeyPrefix, logger);
  const routes = new RouteTable();

  const app = await NestFactory.create<NestFastifyApplication>(
    GatewayModule.register(config, logger, { redis, limiter, routes }),
    new FastifyAdapter(edgeServerOptions(config, logger)),
    { logger: new NestLoggerAdapter(logger) },
  );
  installEdge(app.getHttpAdapter().getInstance(), logger, routes, limiter);
  installWebConsole(app.getHttpAdapter().getInstance(), config.consoleDistDir, logger);
  app.useGlobalFilters(new HttpErrorFilter(logger, routes));

  const openApi = new DocumentBuilder()
    .setTitle('Warden')
    .setDescription('Endpoint-protection management: console, agent and provider operations APIs.')
    .setVersion(config.version)
    // Operator tokens are opaque random strings, not JWTs: no bearerFormat.
    .addSecurity('ops-token', {
      type: 'http',
      scheme: 'bearer',
      description: 'An operator token (an opaque string, kept by the gateway only as a hash).',
    })
    .addSecurity('console-session', {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description:
        'The `accessToken` of a console session (POST /api/v1/auth/login…): lives at most ' +
        '15 minutes; renew it with POST /api/v1/auth/refresh.',
    })
    .addSecurity('device-token', {
      type: 'http',
      scheme: 'bearer',
      description:
        'An enrolled agent’s `deviceToken` (`<deviceId>.<secret>`, from POST /agent/v1/enroll); ' +
        'enrolling the device again replaces it.',
    })
    .build();
  SwaggerModule.setup('api/docs', app, SwaggerModule.createDocument(app, openApi), {
    jsonDocumentUrl: 'api/docs/openapi.json',
  });
  return app;
}
