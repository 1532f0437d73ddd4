import type { INestMicroservice } from '@nestjs/common';
import { createDomainMicroservice } from '@warden/platform';
import { PolicyModule } from './app.module';
import type { PolicyConfig } from './config';

export function createPolicyApp(config: PolicyConfig): Promise<INestMicroservice> {
  return createDomainMicroservice(config, (logger) => PolicyModule.register(config, logger));
}
