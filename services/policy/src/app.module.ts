import { type DynamicModule, Module } from '@nestjs/common';
import { type Logger, platformModules } from '@warden/platform';
import type { PolicyConfig } from './config';

@Module({})
export class PolicyModule {
  static register(config: PolicyConfig, logger: Logger): DynamicModule {
    return {
      module: PolicyModule,
      imports: [...platformModules(config, logger)],
    };
  }
}
