import type { INestMicroservice } from '@nestjs/common';
import { createDomainMicroservice } from '@warden/platform';
import { InventoryModule } from './app.module';
import type { InventoryConfig } from './config';

export function createInventoryApp(config: InventoryConfig): Promise<INestMicroservice> {
  return createDomainMicroservice(config, (logger) => InventoryModule.register(config, logger));
}
