import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { inventoryEvents } from '@warden/contracts';
import {
  AUDIT_EVENT,
  AuditPublisher,
  EventsModule,
  type Logger,
  platformModules,
} from '@warden/platform';
import { AgentHandler } from './agents/agent.handler';
import { AgentService } from './agents/agent.service';
import { CommandSupportHandler } from './commands/command-support.handler';
import { CommandTargetService } from './commands/command-targets.service';
import { EndpointLifecycleService } from './commands/endpoint-lifecycle.service';
import type { InventoryConfig } from './config';
import { DetectionRepository } from './endpoints/detection.repository';
import { ConsoleFacts } from './endpoints/console-facts';
import { EndpointHandler } from './endpoints/endpoint.handler';
import { EndpointRepository } from './endpoints/endpoint.repository';
import { EndpointService } from './endpoints/endpoint.service';
import { GroupHandler } from './groups/group.handler';
import { GroupRepository } from './groups/group.repository';
import { GroupService } from './groups/group.service';
import { EndpointHousekeepingHandler } from './housekeeping/endpoint-housekeeping.handler';
import { EndpointHousekeepingService } from './housekeeping/endpoint-housekeeping.service';
import { PolicyUsageHandler } from './policies/policy-usage.handler';
import { PolicyUsageService } from './policies/policy-usage.service';

/** What a test may put in place of a provider (e.g. a repository whose write fails). */
export interface InventoryModuleOptions {
  overrides?: Provider[];
}

@Module({})
export class InventoryModule {
  static register(
    config: InventoryConfig,
    logger: Logger,
    options: InventoryModuleOptions = {},
  ): DynamicModule {
    return {
      module: InventoryModule,
      imports: [
        ...platformModules(config, logger),
        EventsModule.forRoot({
          service: config.service,
          natsUrl: config.natsUrl,
          publishes: Object.values(inventoryEvents),
        }),
      ],
      controllers: [
        AgentHandler,
        EndpointHandler,
        GroupHandler,
        PolicyUsageHandler,
        CommandSupportHandler,
        EndpointHousekeepingHandler,
      ],
      providers: [
        { provide: AUDIT_EVENT, useValue: inventoryEvents.auditRecorded },
        AuditPublisher,
        EndpointRepository,
        DetectionRepository,
        GroupRepository,
        AgentService,
        ConsoleFacts,
        EndpointService,
        GroupService,
        PolicyUsageService,
        CommandTargetService,
        EndpointLifecycleService,
        EndpointHousekeepingService,
        ...(options.overrides ?? []),
      ],
    };
  }
}
