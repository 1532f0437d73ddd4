import { Injectable } from '@nestjs/common';
import { type AuditEvent, type Caller, licensingEvents } from '@warden/contracts';
import {
  type DomainEventContract,
  derivedEventId,
  type EventFields,
  EventPublisher,
  type PreparedEvent,
} from '@warden/platform';

export interface AuditRecord {
  caller: Caller;
  consoleId: string | null;
  siteId: string | null;
  action: AuditEvent['action'];
  target: AuditEvent['target'];
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  /** Set for a fact that may be published again (a retried create): same id, stored once. */
  eventId?: string;
  /** When the change happened, if not now (a fact published again). */
  occurredAt?: Date;
}

export type PreparedAudit = PreparedEvent<typeof licensingEvents.auditRecorded>;

/**
 * Audit events (one per change; identity stores them) on the durable path of
 * every licensing event: prepared and validated before the change is written,
 * published by `EventPublisher.publish` after it (docs/adr/0005).
 */
@Injectable()
export class AuditPublisher {
  constructor(private readonly events: EventPublisher) {}

  prepare(record: AuditRecord): PreparedAudit {
    return this.events.prepare(
      licensingEvents.auditRecorded,
      {
        actor: record.caller.actor,
        sourceIp: record.caller.sourceIp,
        consoleId: record.consoleId,
        siteId: record.siteId,
        action: record.action,
        target: record.target,
        outcome: 'success',
        before: record.before ?? null,
        after: record.after ?? null,
      },
      {
        ...(record.eventId === undefined ? {} : { eventId: record.eventId }),
        ...(record.occurredAt === undefined ? {} : { occurredAt: record.occurredAt.toISOString() }),
      },
    );
  }

  /**
   * The lifecycle event and the audit event of a creation, under ids derived
   * from what was created and when: a retried create publishes them again,
   * and the stream stores each fact once.
   */
  prepareCreation<C extends DomainEventContract>(
    lifecycle: { contract: C; fields: EventFields<C> },
    audit: Omit<AuditRecord, 'eventId' | 'occurredAt'> & { occurredAt: Date },
  ): PreparedEvent[] {
    const { id } = audit.target;
    return [
      this.events.prepare(lifecycle.contract, lifecycle.fields, {
        eventId: derivedEventId(`${id}:${audit.action}`),
        occurredAt: audit.occurredAt.toISOString(),
      }),
      this.prepare({ ...audit, eventId: derivedEventId(`${id}:audit:${audit.action}`) }),
    ];
  }

  /** The exact before/after, known once the write has answered; never throws. */
  complete(
    prepared: PreparedAudit,
    states: { before?: Record<string, unknown> | null; after?: Record<string, unknown> | null },
  ): PreparedAudit {
    return this.events.revise(prepared, states);
  }
}
