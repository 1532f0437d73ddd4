import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { createLogger, NestLoggerAdapter } from '@warden/platform';
import type { GatewayConfig } from './config';
import { HttpErrorFilter } from './errors/http-error.filter';
import { GatewayModule } from './gateway.module';

/** Builds the gateway (not listening yet): the only HTTP entry point of the system. */
export async function createGatewayApp(config: GatewayConfig): Promise<NestFastifyApplication> {
  const logger = createLogger('gateway', config.logLevel);
  const app = await NestFactory.create<NestFastifyApplication>(
    GatewayModule.register(config, logger),
    new FastifyAdapter({ bodyLimit: 1024 * 1024, trustProxy: config.trustProxy }),
    { logger: new NestLoggerAdapter(logger) },
  );
  app.useGlobalFilters(new HttpErrorFilter(logger));

  const openApi = new DocumentBuilder()
    .setTitle('Warden')
    .setDescription('Endpoint-protection management: console, agent and provider operations APIs.')
    .setVersion(config.version)
    .addBearerAuth({ type: 'http', scheme: 'bearer' }, 'ops-token')
    .build();
  SwaggerModule.setup('api/docs', app, SwaggerModule.createDocument(app, openApi), {
    jsonDocumentUrl: 'api/docs/openapi.json',
  });
  return app;
}
