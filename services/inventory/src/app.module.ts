import { type DynamicModule, Module } from '@nestjs/common';
import { type Logger, platformModules } from '@warden/platform';
import type { InventoryConfig } from './config';

@Module({})
export class InventoryModule {
  static register(config: InventoryConfig, logger: Logger): DynamicModule {
    return {
      module: InventoryModule,
      imports: [...platformModules(config, logger)],
    };
  }
}
