import { type DynamicModule, Module } from '@nestjs/common';
import { type Logger, platformModules } from '@warden/platform';
import type { LicensingConfig } from './config';

@Module({})
export class LicensingModule {
  static register(config: LicensingConfig, logger: Logger): DynamicModule {
    return {
      module: LicensingModule,
      imports: [...platformModules(config, logger)],
    };
  }
}
