import { Injectable } from '@nestjs/common';
import { type AuditContext, type AuditEvent, licensingEvents } from '@warden/contracts';
import { NatsRpcClient } from '@warden/platform';
import { randomUUID } from 'node:crypto';

export interface AuditRecord {
  context: AuditContext;
  consoleId: string | null;
  siteId: string | null;
  action: AuditEvent['action'];
  target: AuditEvent['target'];
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/** Publishes one audit event per change; identity stores them. */
@Injectable()
export class AuditPublisher {
  constructor(private readonly rpc: NatsRpcClient) {}

  record(record: AuditRecord): void {
    this.rpc.emit(licensingEvents.auditRecorded, {
      eventId: randomUUID(),
      at: new Date().toISOString(),
      actor: record.context.actor,
      sourceIp: record.context.sourceIp,
      consoleId: record.consoleId,
      siteId: record.siteId,
      action: record.action,
      target: record.target,
      outcome: 'success',
      before: record.before ?? null,
      after: record.after ?? null,
    });
  }
}
