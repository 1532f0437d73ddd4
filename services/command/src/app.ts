import type { INestMicroservice } from '@nestjs/common';
import { createDomainMicroservice } from '@warden/platform';
import { CommandModule } from './app.module';
import type { CommandConfig } from './config';

export function createCommandApp(config: CommandConfig): Promise<INestMicroservice> {
  return createDomainMicroservice(config, (logger) => CommandModule.register(config, logger));
}
