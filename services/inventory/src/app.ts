import type { INestMicroservice } from '@nestjs/common';
import { createDomainMicroservice } from '@warden/platform';
import { InventoryModule, type InventoryModuleOptions } from './app.module';
import type { InventoryConfig } from './config';

export type InventoryAppOptions = InventoryModuleOptions;

export function createInventoryApp(
  config: InventoryConfig,
  options: InventoryAppOptions = {},
): Promise<INestMicroservice> {
  return createDomainMicroservice(config, (logger) =>
    InventoryModule.register(config, logger, options),
  );
}
