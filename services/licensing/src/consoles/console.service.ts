import { Inject, Injectable } from '@nestjs/common';
import {
  type AuditContext,
  type Console,
  type ConsoleDetail,
  type licensingRpc,
  type ParsedRequestOf,
  type ReplyOf,
} from '@warden/contracts';
import { DomainError, newId } from '@warden/platform';
import { AuditPublisher } from '../audit/audit.publisher';
import type { LicensingConfig } from '../config';
import { LICENSING_CONFIG } from '../licensing.tokens';
import { consoleNotFound } from '../licensing.errors';
import { SiteService } from '../sites/site.service';
import { type ConsoleRecord, ConsoleRepository } from './console.repository';
import { toConsoleView, totalUsage, trialEnd } from './console.rules';

const DEFAULT_NOT_SEEN_THRESHOLD_HOURS = 72;

@Injectable()
export class ConsoleService {
  constructor(
    private readonly consoles: ConsoleRepository,
    private readonly sites: SiteService,
    private readonly audit: AuditPublisher,
    @Inject(LICENSING_CONFIG) private readonly config: LicensingConfig,
  ) {}

  /**
   * Opens a console with its first site. Retrying with the same idempotency key
   * returns the same console, and finishes the first site if a crash left it out.
   */
  async create(
    request: ParsedRequestOf<typeof licensingRpc.createConsole>,
  ): Promise<ConsoleDetail> {
    let record = await this.consoles.findByIdempotencyKey(request.idempotencyKey);
    let created = false;
    if (!record) {
      const now = new Date();
      const fresh: ConsoleRecord = {
        _id: newId(),
        idempotencyKey: request.idempotencyKey,
        name: request.name,
        kind: request.kind,
        status: 'active',
        trialEndsAt:
          request.kind === 'trial'
            ? trialEnd(now, request.trialDays ?? this.config.trialDaysDefault)
            : null,
        language: request.language,
        notSeenThresholdHours: DEFAULT_NOT_SEEN_THRESHOLD_HOURS,
        createdAt: now,
        updatedAt: now,
      };
      created = await this.consoles.insert(fresh);
      // Not inserted: a concurrent retry with the same key won; its console is the answer.
      record = created ? fresh : await this.consoles.findByIdempotencyKey(request.idempotencyKey);
      if (!record) throw new Error('console insert refused, yet no console has its key');
    }

    // Deterministic key: the first site is created once however often this runs.
    await this.sites.createSite(
      record._id,
      request.site,
      `${record._id}:first-site`,
      request.audit,
    );
    if (created) {
      this.audit.record({
        context: request.audit,
        consoleId: record._id,
        siteId: null,
        action: 'console.created',
        target: { type: 'console', id: record._id },
        after: toConsoleView(record),
      });
    }
    return this.detail(record);
  }

  async get(consoleId: string): Promise<ConsoleDetail> {
    return this.detail(await this.require(consoleId));
  }

  async list(
    request: ParsedRequestOf<typeof licensingRpc.listConsoles>,
  ): Promise<ReplyOf<typeof licensingRpc.listConsoles>> {
    const records = await this.consoles.list(request);
    const now = new Date();
    return {
      items: records.map((r) => toConsoleView(r, now)),
      nextAfter: records.length === request.limit ? records[records.length - 1]!._id : null,
    };
  }

  suspend(consoleId: string, context: AuditContext): Promise<Console> {
    return this.change(consoleId, context, 'console.suspended', () => ({ status: 'suspended' }));
  }

  resume(consoleId: string, context: AuditContext): Promise<Console> {
    return this.change(consoleId, context, 'console.resumed', () => ({ status: 'active' }));
  }

  /** Trial → production: the trial end date goes away with the trial. */
  convert(consoleId: string, context: AuditContext): Promise<Console> {
    return this.change(consoleId, context, 'console.converted', (current) => {
      if (current.kind !== 'trial') {
        throw new DomainError('CONSOLE_NOT_TRIAL', 'this console is already in production', {
          consoleId,
        });
      }
      return { kind: 'production', trialEndsAt: null };
    });
  }

  /** Applies a change; a change that changes nothing is answered without a write or an audit event. */
  private async change(
    consoleId: string,
    context: AuditContext,
    action: string,
    changesFor: (
      current: ConsoleRecord,
    ) => Partial<Pick<ConsoleRecord, 'status' | 'kind' | 'trialEndsAt'>>,
  ): Promise<Console> {
    const current = await this.require(consoleId);
    const changes = changesFor(current);
    const unchanged = Object.entries(changes).every(
      ([key, value]) => current[key as keyof ConsoleRecord] === value,
    );
    if (unchanged) return toConsoleView(current);

    const updated = await this.consoles.update(consoleId, changes);
    if (!updated) throw consoleNotFound(consoleId);
    const before = toConsoleView(current);
    const after = toConsoleView(updated);
    this.audit.record({
      context,
      consoleId,
      siteId: null,
      action,
      target: { type: 'console', id: consoleId },
      before,
      after,
    });
    return after;
  }

  private async require(consoleId: string): Promise<ConsoleRecord> {
    const record = await this.consoles.findById(consoleId);
    if (!record) throw consoleNotFound(consoleId);
    return record;
  }

  private async detail(record: ConsoleRecord): Promise<ConsoleDetail> {
    const sites = await this.sites.listForConsole(record._id);
    return { console: toConsoleView(record), sites, usage: totalUsage(sites.map((s) => s.usage)) };
  }
}
