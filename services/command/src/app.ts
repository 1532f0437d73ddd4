import type { INestMicroservice } from '@nestjs/common';
import { createDomainMicroservice } from '@warden/platform';
import { CommandModule, type CommandModuleOptions } from './app.module';
import type { CommandConfig } from './config';

export function createCommandApp(
  config: CommandConfig,
  options: CommandModuleOptions = {},
): Promise<INestMicroservice> {
  return createDomainMicroservice(config, (logger) =>
    CommandModule.register(config, logger, options),
  );
}
