import { Injectable } from '@nestjs/common';
import type { AuditEvent, Caller } from '@warden/contracts';
import { AuditPublisher, EventPublisher, type PreparedAudit } from '@warden/platform';

export interface IdentityAuditEntry {
  consoleId: string | null;
  action: AuditEvent['action'];
  target: AuditEvent['target'];
  outcome?: AuditEvent['outcome'];
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/**
 * Identity's audit events (`identity.audit.recorded.v1`): prepared before the
 * write they report, published after it, on the durable path (docs/adr/0005).
 * They name accounts by id and never carry a secret, a token or an answer.
 */
@Injectable()
export class IdentityAudit {
  constructor(
    private readonly audit: AuditPublisher,
    private readonly events: EventPublisher,
  ) {}

  prepare(caller: Caller, entry: IdentityAuditEntry): PreparedAudit {
    return this.audit.prepare({ caller, siteId: null, ...entry });
  }

  /** The exact before/after, known once the write has answered. */
  complete(
    prepared: PreparedAudit,
    states: { before?: Record<string, unknown> | null; after?: Record<string, unknown> | null },
  ): PreparedAudit {
    return this.audit.complete(prepared, states);
  }

  publish(...prepared: PreparedAudit[]): Promise<void> {
    return this.events.publish(...prepared);
  }

  /** A fact with no write of its own to wait for (a refused attempt, a lockout noticed). */
  record(caller: Caller, entry: IdentityAuditEntry): Promise<void> {
    return this.publish(this.prepare(caller, entry));
  }
}
