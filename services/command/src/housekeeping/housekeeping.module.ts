import { type DynamicModule, Module } from '@nestjs/common';
import { SiteReportLog } from '../reports/site-report-log';
import { SiteReporter } from '../reports/site-reporter';
import { ClaimRefusals } from './claim-refusals';
import { HousekeepingScheduler } from './housekeeping-scheduler';
import { SeatReconciler } from './seat-reconciler';

/**
 * Repeatable BullMQ jobs, one run per tick across every copy of the service:
 * command expiry, stale-endpoint marking, seat-lease reconciliation, report
 * e-mails (issue 12). `commands` is the application's own CommandsModule
 * (the very module object it imports, so there is one of it): expiry and the
 * reports' pending counts are its.
 */
@Module({})
export class HousekeepingModule {
  static register(commands: DynamicModule): DynamicModule {
    return {
      module: HousekeepingModule,
      imports: [commands],
      providers: [
        ClaimRefusals,
        SeatReconciler,
        SiteReportLog,
        SiteReporter,
        HousekeepingScheduler,
      ],
      exports: [HousekeepingScheduler],
    };
  }
}
