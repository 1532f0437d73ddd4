import type { INestMicroservice } from '@nestjs/common';
import { createDomainMicroservice } from '@warden/platform';
import { IdentityModule } from './app.module';
import type { IdentityConfig } from './config';

export function createIdentityApp(config: IdentityConfig): Promise<INestMicroservice> {
  return createDomainMicroservice(config, (logger) => IdentityModule.register(config, logger));
}
