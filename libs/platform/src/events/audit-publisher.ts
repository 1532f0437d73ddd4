import { Inject, Injectable } from '@nestjs/common';
import type { AuditEvent, auditEventSchema, Caller, EventContract } from '@warden/contracts';
import { derivedEventId } from './event-id';
import { type EventFields, EventPublisher, type PreparedEvent } from './event-publisher';
import type { DomainEventContract } from './event-stream';

/** The service's own audit event, `<service>.audit.recorded.v1`: provide it with this token. */
export const AUDIT_EVENT = Symbol('AUDIT_EVENT');
export type AuditEventContract = EventContract<typeof auditEventSchema>;

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
  /** A refused attempt worth recording (a failed sign-in, a lockout); `success` when absent. */
  outcome?: AuditEvent['outcome'];
}

export type PreparedAudit = PreparedEvent<AuditEventContract>;

/**
 * Audit events (one per change; identity stores them) on the durable path of
 * the service's other events: prepared and validated before the change is
 * written, published by `EventPublisher.publish` after it (docs/adr/0005).
 */
@Injectable()
export class AuditPublisher {
  constructor(
    private readonly events: EventPublisher,
    @Inject(AUDIT_EVENT) private readonly contract: AuditEventContract,
  ) {}

  prepare(record: AuditRecord): PreparedAudit {
    return this.events.prepare(
      this.contract,
      {
        actor: record.caller.actor,
        sourceIp: record.caller.sourceIp,
        consoleId: record.consoleId,
        siteId: record.siteId,
        action: record.action,
        target: record.target,
        outcome: record.outcome ?? 'success',
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
