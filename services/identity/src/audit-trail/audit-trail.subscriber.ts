import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { AUDIT_EVENT_CONTRACTS } from '@warden/contracts';
import { EventSubscriptions } from '@warden/platform';
import { AuditTrailService } from './audit-trail.service';

/**
 * Events in: one durable consumer per service's audit subject, shared by
 * every copy of identity (docs/adr/0005). A subject whose publisher has not
 * run yet is consumed all the same: the consumer creates that service's
 * stream with just this subject, the publisher adds its others when it
 * starts, and what it publishes then arrives here.
 */
@Injectable()
export class AuditTrailSubscriber implements OnApplicationBootstrap {
  constructor(
    private readonly subscriptions: EventSubscriptions,
    private readonly trail: AuditTrailService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const contract of Object.values(AUDIT_EVENT_CONTRACTS)) {
      await this.subscriptions.subscribe(contract, async (event) => {
        await this.trail.record(event);
      });
    }
  }
}
