import { type DynamicModule, Module } from '@nestjs/common';
import { type Logger, platformModules } from '@warden/platform';
import type { IdentityConfig } from './config';

@Module({})
export class IdentityModule {
  static register(config: IdentityConfig, logger: Logger): DynamicModule {
    return {
      module: IdentityModule,
      imports: [...platformModules(config, logger)],
    };
  }
}
