import type { INestMicroservice } from '@nestjs/common';
import { createDomainMicroservice } from '@warden/platform';
import { LicensingModule } from './app.module';
import type { LicensingConfig } from './config';

export function createLicensingApp(config: LicensingConfig): Promise<INestMicroservice> {
  return createDomainMicroservice(config, (logger) => LicensingModule.register(config, logger));
}
