import { defineEvent, type EventContract } from '../contract';
import { identityEvents } from '../identity/identity.contract';
import { licensingEvents } from '../licensing/licensing.contract';
import type { DomainService } from '../services';
import { auditEventSchema } from './audit.contract';

/**
 * Every domain service's audit event, `<service>.audit.recorded.v1`: the one
 * list identity consumes to keep the audit trail (docs/adr/0005). A service
 * that publishes audit events takes its contract from here (policy, inventory
 * and command do not publish yet; when one gets its own events object, it puts
 * this entry in it rather than defining the subject a second time). Typed
 * against DOMAIN_SERVICES, so a new service cannot be left out.
 */
export const AUDIT_EVENT_CONTRACTS = {
  identity: identityEvents.auditRecorded,
  licensing: licensingEvents.auditRecorded,
  policy: defineEvent('policy.audit.recorded.v1', auditEventSchema),
  inventory: defineEvent('inventory.audit.recorded.v1', auditEventSchema),
  command: defineEvent('command.audit.recorded.v1', auditEventSchema),
} as const satisfies Record<DomainService, EventContract<typeof auditEventSchema>>;
