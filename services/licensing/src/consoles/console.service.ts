import { Inject, Injectable } from '@nestjs/common';
import {
  type Caller,
  type Console,
  type ConsoleDetail,
  type InputOf,
  licensingEvents,
  type licensingRpc,
  type ReplyOf,
} from '@warden/contracts';
import {
  DomainError,
  EventPublisher,
  newId,
  type PreparedEvent,
  requestFingerprint,
  AuditPublisher,
  tenantOf,
  maySee,
} from '@warden/platform';
import type { LicensingConfig } from '../config';
import { LICENSING_CONFIG } from '../licensing.tokens';
import { consoleNotFound, idempotencyKeyReused } from '../licensing.errors';
import { SiteService } from '../sites/site.service';
import { type ConsoleChanges, type ConsoleRecord, ConsoleRepository } from './console.repository';
import { toConsoleView, totalUsage, trialEnd } from './console.rules';

const DEFAULT_NOT_SEEN_THRESHOLD_HOURS = 72;
/** Changes racing each other on one console: each retry means another change landed. */
const CHANGE_ATTEMPTS = 5;

interface ConsoleChange {
  action: string;
  changesFor(current: ConsoleRecord): ConsoleChanges;
  /** The lifecycle event of the change, prepared before it is written; `changed`: what differs. */
  event(current: ConsoleRecord, changed: ConsoleChanges): PreparedEvent;
}

/**
 * Consoles: open, suspend, resume, convert, extend a trial. Each change
 * prepares its lifecycle and audit events before its write (an invalid event
 * refuses the request while nothing is stored) and publishes them after it,
 * without ever failing the request then (docs/adr/0005). A change that
 * changes nothing is answered with no write, no event and no audit.
 */
@Injectable()
export class ConsoleService {
  constructor(
    private readonly consoles: ConsoleRepository,
    private readonly sites: SiteService,
    private readonly audit: AuditPublisher,
    private readonly events: EventPublisher,
    @Inject(LICENSING_CONFIG) private readonly config: LicensingConfig,
  ) {}

  /**
   * Opens a console with its first site. Retrying with the same idempotency key
   * returns the same console, and finishes the first site if a crash left it out.
   */
  async create(
    caller: Caller,
    request: InputOf<typeof licensingRpc.createConsole>,
  ): Promise<ConsoleDetail> {
    const { name, kind, trialDays, language, site } = request;
    const fingerprint = requestFingerprint({ name, kind, trialDays, language, site });
    let record = await this.consoles.findByIdempotencyKey(request.idempotencyKey);
    if (record && record.requestFingerprint !== fingerprint) throw idempotencyKeyReused('console');
    if (!record) {
      const now = new Date();
      const fresh: ConsoleRecord = {
        _id: newId(),
        idempotencyKey: request.idempotencyKey,
        requestFingerprint: fingerprint,
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
      const created = this.createdEvents(fresh, caller);
      if (await this.consoles.insert(fresh)) {
        record = fresh;
        await this.events.publish(...created);
      } else {
        // A concurrent retry with the same key won; its console is the answer.
        record = await this.consoles.findByIdempotencyKey(request.idempotencyKey);
        if (!record) throw new Error('console insert refused, yet no console has its key');
        if (record.requestFingerprint !== fingerprint) throw idempotencyKeyReused('console');
      }
    } else {
      // A retry: a crash may have come between the insert and the publish.
      // The same event ids again, so the stream stores each fact once.
      await this.events.publish(...this.createdEvents(record, caller));
    }

    // Deterministic key: the first site is created once however often this runs.
    await this.sites.createWithKey(caller, record._id, request.site, `${record._id}:first-site`);
    return this.detail(record);
  }

  async get(
    _caller: Caller,
    { consoleId }: InputOf<typeof licensingRpc.getConsole>,
  ): Promise<ConsoleDetail> {
    return this.detail(await this.require(consoleId));
  }

  async list(
    _caller: Caller,
    request: InputOf<typeof licensingRpc.listConsoles>,
  ): Promise<ReplyOf<typeof licensingRpc.listConsoles>> {
    const records = await this.consoles.list(request);
    const now = new Date();
    return {
      items: records.map((r) => toConsoleView(r, now)),
      nextAfter: records.length === request.limit ? records[records.length - 1]!._id : null,
    };
  }

  suspend(
    caller: Caller,
    { consoleId }: InputOf<typeof licensingRpc.suspendConsole>,
  ): Promise<Console> {
    return this.change(caller, consoleId, {
      action: 'console.suspended',
      changesFor: () => ({ status: 'suspended' }),
      event: () => this.events.prepare(licensingEvents.consoleSuspended, { consoleId }),
    });
  }

  resume(
    caller: Caller,
    { consoleId }: InputOf<typeof licensingRpc.resumeConsole>,
  ): Promise<Console> {
    return this.change(caller, consoleId, {
      action: 'console.resumed',
      changesFor: () => ({ status: 'active' }),
      event: () => this.events.prepare(licensingEvents.consoleResumed, { consoleId }),
    });
  }

  /**
   * Console API: the caller's own console with the sites the caller may see
   * (all of them for a super admin), and the seat usage of those sites.
   */
  async getSettings(
    caller: Caller,
    _input: InputOf<typeof licensingRpc.getConsoleSettings>,
  ): Promise<ConsoleDetail> {
    return this.detail(await this.require(tenantOf(caller)), (siteId) => maySee(caller, siteId));
  }

  /**
   * Console API: name, language and "not seen recently" threshold of the
   * caller's own console. Console settings are a super admin's: an `admin`
   * account (one limited per site) is FORBIDDEN. Other services learn the
   * settings that changed from `licensing.console.settings-changed.v1`.
   */
  async updateSettings(
    caller: Caller,
    { patch }: InputOf<typeof licensingRpc.updateConsoleSettings>,
  ): Promise<Console> {
    const consoleId = tenantOf(caller);
    if (caller.siteAccess !== undefined) {
      throw new DomainError('FORBIDDEN', 'console settings are changed by super admins');
    }
    return this.change(caller, consoleId, {
      action: 'console.settings-changed',
      changesFor: () => patch,
      event: (_current, { name, language, notSeenThresholdHours }) =>
        this.events.prepare(licensingEvents.consoleSettingsChanged, {
          consoleId,
          ...(name === undefined ? {} : { name }),
          ...(language === undefined ? {} : { language }),
          ...(notSeenThresholdHours === undefined ? {} : { notSeenThresholdHours }),
        }),
    });
  }

  /**
   * Trial → production: the trial end date goes away with the trial.
   * Converting a production console changes nothing, like a repeated suspend.
   */
  convert(
    caller: Caller,
    { consoleId }: InputOf<typeof licensingRpc.convertConsole>,
  ): Promise<Console> {
    return this.change(caller, consoleId, {
      action: 'console.converted',
      changesFor: () => ({ kind: 'production', trialEndsAt: null }),
      event: () =>
        this.events.prepare(licensingEvents.consoleConverted, { consoleId, kind: 'production' }),
    });
  }

  /**
   * A trial runs `days` longer: from its end, or from now if it has ended (so
   * an ended trial may enrol again). Idempotent by key: a retry finds its key
   * on the console and changes nothing. A production console has no trial.
   */
  async extendTrial(
    caller: Caller,
    request: InputOf<typeof licensingRpc.extendTrial>,
  ): Promise<Console> {
    const { consoleId, idempotencyKey: key, days } = request;
    for (let attempt = 0; attempt < CHANGE_ATTEMPTS; attempt++) {
      const current = await this.require(consoleId);
      if (current.trialExtensionKeys?.includes(key)) return toConsoleView(current);
      if (current.kind !== 'trial') {
        throw new DomainError(
          'CONSOLE_NOT_TRIAL',
          'this console is in production: it has no trial',
          {
            consoleId,
          },
        );
      }
      const now = new Date();
      const previousEnd = current.trialEndsAt ?? now;
      const trialEndsAt = trialEnd(previousEnd > now ? previousEnd : now, days);
      const intended: ConsoleRecord = { ...current, trialEndsAt, updatedAt: now };
      const extended = this.events.prepare(licensingEvents.consoleTrialExtended, {
        consoleId,
        trialEndsAt: trialEndsAt.toISOString(),
        previousTrialEndsAt: previousEnd.toISOString(),
        days,
      });
      const audited = this.audit.prepare({
        caller,
        consoleId,
        siteId: null,
        action: 'console.trial-extended',
        target: { type: 'console', id: consoleId },
        before: toConsoleView(current, now),
        after: toConsoleView(intended, now),
      });

      const applied = await this.consoles.extendTrial(consoleId, {
        expectedEnd: current.trialEndsAt,
        trialEndsAt,
        key,
        updatedAt: now,
      });
      if (!applied) continue; // changed meanwhile: decide again on what is there now
      const after = toConsoleView(applied.after, now);
      await this.events.publish(
        extended,
        this.audit.complete(audited, { before: toConsoleView(applied.before, now), after }),
      );
      return after;
    }
    throw conflict(consoleId);
  }

  /**
   * Applies a change by compare-and-set on the values it replaces, so of
   * concurrent identical changes one writes and reports, and the others find
   * nothing left to change.
   */
  private async change(caller: Caller, consoleId: string, spec: ConsoleChange): Promise<Console> {
    for (let attempt = 0; attempt < CHANGE_ATTEMPTS; attempt++) {
      const current = await this.require(consoleId);
      // Only what differs is written, compared and reported.
      const changes = Object.fromEntries(
        Object.entries(spec.changesFor(current)).filter(
          ([key, value]) => current[key as keyof ConsoleChanges] !== value,
        ),
      ) as ConsoleChanges;
      if (Object.keys(changes).length === 0) return toConsoleView(current);
      const replaced = Object.fromEntries(
        Object.keys(changes).map((key) => [key, current[key as keyof ConsoleChanges]]),
      ) as ConsoleChanges;

      const updatedAt = new Date();
      const lifecycle = spec.event(current, changes);
      const audited = this.audit.prepare({
        caller,
        consoleId,
        siteId: null,
        action: spec.action,
        target: { type: 'console', id: consoleId },
        before: toConsoleView(current, updatedAt),
        after: toConsoleView({ ...current, ...changes, updatedAt }, updatedAt),
      });

      const applied = await this.consoles.update(consoleId, changes, replaced, updatedAt);
      if (!applied) continue; // changed (or removed) meanwhile: decide again
      const after = toConsoleView(applied.after, updatedAt);
      await this.events.publish(
        lifecycle,
        this.audit.complete(audited, { before: toConsoleView(applied.before, updatedAt), after }),
      );
      return after;
    }
    throw conflict(consoleId);
  }

  /** The facts of a console's creation (published again by a retry, stored once). */
  private createdEvents(record: ConsoleRecord, caller: Caller): PreparedEvent[] {
    return this.audit.prepareCreation(
      {
        contract: licensingEvents.consoleCreated,
        fields: {
          consoleId: record._id,
          name: record.name,
          kind: record.kind,
          status: record.status,
          trialEndsAt: record.trialEndsAt?.toISOString() ?? null,
          language: record.language,
        },
      },
      {
        caller,
        consoleId: record._id,
        siteId: null,
        action: 'console.created',
        target: { type: 'console', id: record._id },
        after: toConsoleView(record),
        occurredAt: record.createdAt,
      },
    );
  }

  private async require(consoleId: string): Promise<ConsoleRecord> {
    const record = await this.consoles.findById(consoleId);
    if (!record) throw consoleNotFound(consoleId);
    return record;
  }

  /** The console, the sites `shown` lets through (all by default), and those sites' usage. */
  private async detail(
    record: ConsoleRecord,
    shown: (siteId: string) => boolean = () => true,
  ): Promise<ConsoleDetail> {
    const sites = (await this.sites.listForConsole(record._id)).filter((s) => shown(s.id));
    return { console: toConsoleView(record), sites, usage: totalUsage(sites.map((s) => s.usage)) };
  }
}

function conflict(consoleId: string): DomainError {
  return new DomainError('CONFLICT', 'this console is changing; retry', { consoleId });
}
