import { type DynamicModule, Module } from '@nestjs/common';
import { type Logger, LoggerModule, RpcClientModule } from '@warden/platform';
import type { GatewayConfig } from './config';
import { GATEWAY_CONFIG } from './gateway.tokens';
import { HealthController } from './health/health.controller';
import { HealthService } from './health/health.service';
import { OpsTokenStrategy } from './auth/ops-token.strategy';
import { OpsConsolesController } from './ops/ops-consoles.controller';
import { OpsSitesController } from './ops/ops-sites.controller';

@Module({})
export class GatewayModule {
  static register(config: GatewayConfig, logger: Logger): DynamicModule {
    return {
      module: GatewayModule,
      global: true,
      imports: [
        LoggerModule.forRoot(logger),
        RpcClientModule.forRoot({
          url: config.natsUrl,
          name: 'warden-gateway',
          timeoutMs: config.rpcTimeoutMs,
        }),
      ],
      providers: [{ provide: GATEWAY_CONFIG, useValue: config }, HealthService, OpsTokenStrategy],
      exports: [GATEWAY_CONFIG],
      controllers: [HealthController, OpsConsolesController, OpsSitesController],
    };
  }
}
