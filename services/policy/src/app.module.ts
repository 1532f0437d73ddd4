import { type DynamicModule, Module } from '@nestjs/common';
import { policyEvents } from '@warden/contracts';
import {
  AUDIT_EVENT,
  AuditPublisher,
  EventsModule,
  type Logger,
  platformModules,
} from '@warden/platform';
import type { PolicyConfig } from './config';
import {
  ENDPOINT_POLICY_USAGE,
  InventoryPolicyUsage,
  PolicyUsageSource,
} from './policies/policy-usage';
import { PolicyHandler } from './policies/policy.handler';
import { PolicyRepository } from './policies/policy.repository';
import { PolicyService } from './policies/policy.service';

@Module({})
export class PolicyModule {
  static register(config: PolicyConfig, logger: Logger): DynamicModule {
    return {
      module: PolicyModule,
      imports: [
        ...platformModules(config, logger),
        EventsModule.forRoot({
          service: config.service,
          natsUrl: config.natsUrl,
          publishes: Object.values(policyEvents),
        }),
      ],
      controllers: [PolicyHandler],
      providers: [
        { provide: AUDIT_EVENT, useValue: policyEvents.auditRecorded },
        // Groups and endpoints are inventory's: where-used and replacement ask it.
        { provide: ENDPOINT_POLICY_USAGE, useClass: InventoryPolicyUsage },
        AuditPublisher,
        PolicyRepository,
        PolicyUsageSource,
        PolicyService,
      ],
    };
  }
}
