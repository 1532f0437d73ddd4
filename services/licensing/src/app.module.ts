import { type DynamicModule, Module } from '@nestjs/common';
import { licensingEvents } from '@warden/contracts';
import {
  AUDIT_EVENT,
  AuditPublisher,
  EventsModule,
  type Logger,
  platformModules,
} from '@warden/platform';
import type { LicensingConfig } from './config';
import { ConsoleHandler } from './consoles/console.handler';
import { ConsoleRepository } from './consoles/console.repository';
import { ConsoleService } from './consoles/console.service';
import { LICENSING_CONFIG } from './licensing.tokens';
import { SeatLeaseRepository } from './seats/seat-lease.repository';
import { SeatHandler } from './seats/seat.handler';
import { SeatService } from './seats/seat.service';
import { SiteHousekeepingHandler } from './sites/site-housekeeping.handler';
import { SiteHousekeepingService } from './sites/site-housekeeping.service';
import { SiteHandler } from './sites/site.handler';
import { SiteRepository } from './sites/site.repository';
import { SiteService } from './sites/site.service';

@Module({})
export class LicensingModule {
  static register(config: LicensingConfig, logger: Logger): DynamicModule {
    return {
      module: LicensingModule,
      imports: [
        ...platformModules(config, logger),
        EventsModule.forRoot({
          service: config.service,
          natsUrl: config.natsUrl,
          publishes: Object.values(licensingEvents),
        }),
      ],
      controllers: [ConsoleHandler, SiteHandler, SeatHandler, SiteHousekeepingHandler],
      providers: [
        { provide: LICENSING_CONFIG, useValue: config },
        { provide: AUDIT_EVENT, useValue: licensingEvents.auditRecorded },
        AuditPublisher,
        ConsoleRepository,
        SiteRepository,
        SeatLeaseRepository,
        ConsoleService,
        SiteService,
        SeatService,
        SiteHousekeepingService,
      ],
    };
  }
}
