import { Injectable } from '@nestjs/common';
import {
  type AuditContext,
  parseKeycode,
  type ParsedRequestOf,
  type licensingRpc,
  type Site,
  type SiteInput,
  siteInputSchema,
} from '@warden/contracts';
import { DomainError, newId } from '@warden/platform';
import { AuditPublisher } from '../audit/audit.publisher';
import { consoleNotFound, siteNotFound } from '../licensing.errors';
import { ConsoleRepository } from '../consoles/console.repository';
import { assertConsoleMayEnrol, seatUsage } from '../consoles/console.rules';
import { SeatLeaseRepository } from '../seats/seat-lease.repository';
import { generateKeycode } from './keycode-generator';
import { type SiteRecord, SiteRepository } from './site.repository';

const KEYCODE_ATTEMPTS = 5;

@Injectable()
export class SiteService {
  constructor(
    private readonly sites: SiteRepository,
    private readonly consoles: ConsoleRepository,
    private readonly leases: SeatLeaseRepository,
    private readonly audit: AuditPublisher,
  ) {}

  /**
   * Creates a site with a fresh keycode. Safe to retry with the same
   * `creationKey`: the site made by the first attempt is returned.
   */
  async createSite(
    consoleId: string,
    input: SiteInput,
    creationKey: string,
    context: AuditContext,
  ): Promise<Site> {
    const existing = await this.sites.findByCreationKey(creationKey);
    if (existing) return this.view(existing);

    const fields = siteInputSchema.parse(input);
    const id = newId();
    const keycode = await this.issueKeycode(id, consoleId);
    const now = new Date();
    const record: SiteRecord = {
      _id: id,
      consoleId,
      creationKey,
      name: fields.name,
      keycode,
      comment: fields.comment,
      seats: fields.seats,
      slotRange: fields.seats,
      enforcement: fields.enforcement,
      reportRecipients: fields.reportRecipients,
      defaultPolicyId: null,
      createdAt: now,
      updatedAt: now,
    };
    if (!(await this.sites.insert(record))) {
      // A concurrent retry with the same key won; its site is the answer.
      await this.sites.retireKeycode(keycode);
      const winner = await this.sites.findByCreationKey(creationKey);
      if (!winner) throw new Error('site insert refused, yet no site has its creation key');
      return this.view(winner);
    }
    const site = toSiteView(record, 0);
    this.audit.record({
      context,
      consoleId,
      siteId: id,
      action: 'site.created',
      target: { type: 'site', id },
      after: auditable(site),
    });
    return site;
  }

  async addSite(request: ParsedRequestOf<typeof licensingRpc.createSite>): Promise<Site> {
    const consoleRecord = await this.consoles.findById(request.consoleId);
    if (!consoleRecord) throw consoleNotFound(request.consoleId);
    const { audit, consoleId, idempotencyKey, ...input } = request;
    // Scoped by console so one console's key can never return another's site.
    return this.createSite(consoleId, input, `${consoleId}:${idempotencyKey}`, audit);
  }

  async get(siteId: string): Promise<Site> {
    return this.view(await this.require(siteId));
  }

  async listForConsole(consoleId: string): Promise<Site[]> {
    const records = await this.sites.listByConsole(consoleId);
    const used = await this.leases.countBySite(records.map((r) => r._id));
    return records.map((record) => toSiteView(record, used.get(record._id) ?? 0));
  }

  /** Seats lowered below use are allowed: nothing is evicted, the excess shows as overage. */
  async update(request: ParsedRequestOf<typeof licensingRpc.updateSite>): Promise<Site> {
    const current = await this.require(request.siteId);
    const before = await this.view(current);
    // A site update never changes how many leases it has: count once.
    const used = before.usage.used;
    const changes = Object.entries(request.patch).filter(
      ([key, value]) => JSON.stringify(current[key as keyof SiteRecord]) !== JSON.stringify(value),
    );
    // A retried or redundant change is answered without a write or an audit event.
    if (changes.length === 0) return before;
    const { seats } = request.patch;
    if (seats !== undefined && seats < current.seats) {
      // Leases keep their slots when seats go down: widen the range they may
      // occupy before the new seat count can be seen by any claim.
      await this.sites.raiseSlotRange(current._id, current.seats);
    }
    const updated = await this.sites.update(request.siteId, request.patch);
    if (!updated) throw siteNotFound(request.siteId);
    const after = toSiteView(updated, used);
    this.audit.record({
      context: request.audit,
      consoleId: updated.consoleId,
      siteId: updated._id,
      action: 'site.updated',
      target: { type: 'site', id: updated._id },
      before: auditable(before),
      after: auditable(after),
    });
    return after;
  }

  /** New keycode; the old one stops working for new enrolments (enrolled devices keep their leases). */
  async rotateKeycode(request: ParsedRequestOf<typeof licensingRpc.rotateKeycode>): Promise<Site> {
    const site = await this.require(request.siteId);
    const keycode = await this.issueKeycode(site._id, site.consoleId);
    const updated = await this.sites.update(site._id, { keycode }, { keycode: site.keycode });
    if (!updated) {
      // Someone rotated at the same moment; theirs stands, ours is never used.
      await this.sites.retireKeycode(keycode);
      return this.get(site._id);
    }
    await this.sites.retireKeycode(site.keycode);
    this.audit.record({
      context: request.audit,
      consoleId: site.consoleId,
      siteId: site._id,
      action: 'keycode.rotated',
      target: { type: 'site', id: site._id },
      // Keycodes are credentials for enrolment: audit that it changed, not its value.
      before: { keycodeSuffix: site.keycode.slice(-4) },
      after: { keycodeSuffix: keycode.slice(-4) },
    });
    return this.view(updated);
  }

  /**
   * The enrolment gate: a malformed or mistyped keycode is refused before any
   * lookup; an unknown or retired one looks the same as a typo to the caller.
   */
  async resolveKeycode(
    input: string,
  ): Promise<{ keycode: string; siteId: string; consoleId: string }> {
    const parsed = parseKeycode(input);
    if (!parsed.ok) {
      throw new DomainError('KEYCODE_INVALID', 'this is not a valid keycode', {
        reason: parsed.reason,
      });
    }
    const site = await this.sites.findByKeycode(parsed.keycode);
    if (!site) {
      throw new DomainError('KEYCODE_INVALID', 'this is not a valid keycode', {
        reason: 'unknown',
      });
    }
    await this.assertMayEnrol(site);
    return { keycode: site.keycode, siteId: site._id, consoleId: site.consoleId };
  }

  /** The enrolment gate: the site's console exists, is not suspended, and its trial has not ended. */
  async assertMayEnrol(site: SiteRecord): Promise<void> {
    const consoleRecord = await this.consoles.findById(site.consoleId);
    if (!consoleRecord) throw consoleNotFound(site.consoleId);
    assertConsoleMayEnrol(consoleRecord);
  }

  async require(siteId: string): Promise<SiteRecord> {
    const site = await this.sites.findById(siteId);
    if (!site) throw siteNotFound(siteId);
    return site;
  }

  private async issueKeycode(siteId: string, consoleId: string): Promise<string> {
    for (let attempt = 0; attempt < KEYCODE_ATTEMPTS; attempt++) {
      const keycode = generateKeycode();
      if (await this.sites.reserveKeycode(keycode, siteId, consoleId)) return keycode;
    }
    // 98 random bits colliding five times in a row means the random source is broken.
    throw new Error('could not issue a unique keycode');
  }

  private async view(record: SiteRecord): Promise<Site> {
    return toSiteView(record, await this.leases.count(record._id));
  }
}

function toSiteView(record: SiteRecord, used: number): Site {
  return {
    id: record._id,
    consoleId: record.consoleId,
    name: record.name,
    keycode: record.keycode,
    comment: record.comment,
    enforcement: record.enforcement,
    reportRecipients: record.reportRecipients,
    defaultPolicyId: record.defaultPolicyId,
    usage: seatUsage(record.seats, used),
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}

/** Keycodes are enrolment credentials: audit events keep only their last group. */
function auditable(site: Site): Record<string, unknown> {
  const { keycode, ...rest } = site;
  return { ...rest, keycodeSuffix: keycode.slice(-4) };
}
