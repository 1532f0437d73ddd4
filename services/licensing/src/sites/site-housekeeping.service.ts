import { Inject, Injectable } from '@nestjs/common';
import {
  type Caller,
  type HousekeepingSite,
  type InputOf,
  type licensingRpc,
  type ReplyOf,
  type SiteLeases,
} from '@warden/contracts';
import { AuditPublisher, EventPublisher } from '@warden/platform';
import type { LicensingConfig } from '../config';
import { ConsoleRepository } from '../consoles/console.repository';
import { seatUsage } from '../consoles/console.rules';
import { siteNotFound } from '../licensing.errors';
import { LICENSING_CONFIG } from '../licensing.tokens';
import { SeatLeaseRepository } from '../seats/seat-lease.repository';
import { type SiteRecord, SiteRepository } from './site.repository';

/**
 * What the command service's housekeeping jobs read and repair (issue 12):
 * every site page by page, a site's leases, and lowering a slot range that
 * seats lowered below use left raised (docs/adr/0003). They run as the
 * system, across consoles; a caller acting in a console sees its own only.
 */
@Injectable()
export class SiteHousekeepingService {
  constructor(
    private readonly sites: SiteRepository,
    private readonly consoles: ConsoleRepository,
    private readonly leases: SeatLeaseRepository,
    private readonly audit: AuditPublisher,
    private readonly events: EventPublisher,
    @Inject(LICENSING_CONFIG) private readonly config: LicensingConfig,
  ) {}

  /** A page of every site by id, with its console's name, status and language, and its usage. */
  async listAllSites(
    caller: Caller,
    { cursor, limit }: InputOf<typeof licensingRpc.listAllSites>,
  ): Promise<ReplyOf<typeof licensingRpc.listAllSites>> {
    const records = await this.sites.page({
      consoleId: caller.consoleId ?? null,
      ...(cursor === undefined ? {} : { after: cursor }),
      limit: limit + 1,
    });
    const page = records.slice(0, limit);
    const consoleIds = [...new Set(page.map((site) => site.consoleId))];
    const [consoles, used] = await Promise.all([
      this.consoles.findByIds(consoleIds),
      this.leases.countBySite(page.map((site) => site._id)),
    ]);
    const consoleById = new Map(consoles.map((console) => [console._id, console]));
    const items: HousekeepingSite[] = [];
    for (const site of page) {
      const console = consoleById.get(site.consoleId);
      if (!console) continue; // a site whose console is gone has no one to report to
      items.push({
        siteId: site._id,
        consoleId: site.consoleId,
        name: site.name,
        consoleName: console.name,
        consoleStatus: console.status,
        language: console.language,
        reportRecipients: site.reportRecipients,
        usage: seatUsage(site.seats, used.get(site._id) ?? 0),
      });
    }
    return {
      items,
      nextCursor: records.length > limit ? (page[page.length - 1]?._id ?? null) : null,
    };
  }

  /** A site's leases, in pages by slot when `pageSize` is given (a NATS message is 1 MiB at most). */
  async siteLeases(
    caller: Caller,
    { siteId, afterSlot, pageSize }: InputOf<typeof licensingRpc.siteLeases>,
  ): Promise<SiteLeases> {
    const site = await this.require(caller, siteId);
    const leases = await this.leases.listBySite(site._id, {
      ...(afterSlot === undefined ? {} : { afterSlot }),
      ...(pageSize === undefined ? {} : { limit: pageSize + 1 }),
    });
    const page = pageSize === undefined ? leases : leases.slice(0, pageSize);
    return {
      siteId: site._id,
      seats: site.seats,
      slotRange: site.slotRange ?? site.seats,
      leases: page.map((lease) => ({
        hardwareKey: lease.hardwareKey,
        slot: lease.slot,
        claimedAt: lease.claimedAt.toISOString(),
      })),
      nextAfterSlot: leases.length > page.length ? page[page.length - 1]!.slot : null,
    };
  }

  /**
   * Lowers `slotRange` to max(seats, highest occupied slot + 1), so a site
   * whose seats were lowered below use goes back to the fast claim path once
   * the leases above its seats are gone (docs/adr/0003).
   *
   * Why this is safe. A `hard` claim takes the fast path (a plain insert
   * into [0, seats), no count) only when the site it read had slotRange ≤
   * seats; so lowering must never leave a lease at or above the new range.
   * Leases at or above the seats come from two places only, and both are
   * covered:
   * - leases that exist when this reads them: the new range stays above the
   *   highest of them (read after the site, and the write below is a
   *   compare-and-set on the site as read, so nothing raised it meanwhile);
   * - claims still in flight that will insert such a lease: a soft-mode
   *   claim stamps `slotRangeRaisedAt` before its insert, and a claim that
   *   read the site before its seats were lowered saw the old seats, which
   *   that change stamped with `updatedAt`. Both stamps are part of the
   *   compare-and-set, and nothing is lowered until both are older than
   *   SLOT_RANGE_SETTLE_SECONDS — far longer than a claim takes between
   *   reading the site and inserting its lease (a few single-key writes
   *   within one request).
   * Any other in-flight claim read slotRange > seats and so takes the
   * careful path, which in `hard` mode inserts below the seats only.
   */
  async lowerSlotRange(
    caller: Caller,
    { siteId }: InputOf<typeof licensingRpc.lowerSlotRange>,
  ): Promise<ReplyOf<typeof licensingRpc.lowerSlotRange>> {
    const site = await this.require(caller, siteId);
    const current = site.slotRange ?? site.seats;
    const unchanged = { slotRange: current, lowered: false };
    if (current <= site.seats) return unchanged;
    const lastChange = Math.max(site.updatedAt.getTime(), site.slotRangeRaisedAt?.getTime() ?? 0);
    if (Date.now() - lastChange < this.config.slotRangeSettleMs) return unchanged;
    const slots = await this.leases.usedSlots(site._id);
    const lowest = Math.max(site.seats, ...slots.map((slot) => slot + 1));
    if (lowest >= current) return unchanged;
    const audited = this.audit.prepare({
      caller,
      consoleId: site.consoleId,
      siteId: site._id,
      action: 'site.slot-range-lowered',
      target: { type: 'site', id: site._id },
      before: { slotRange: current, seats: site.seats },
      after: { slotRange: lowest, seats: site.seats },
    });
    // Changed since it was read: the next pass looks again.
    if (!(await this.sites.lowerSlotRange(site, lowest))) return unchanged;
    await this.events.publish(audited);
    return { slotRange: lowest, lowered: true };
  }

  private async require(caller: Caller, siteId: string): Promise<SiteRecord> {
    const site = await this.sites.findById(siteId.toLowerCase());
    if (!site || (caller.consoleId !== undefined && site.consoleId !== caller.consoleId)) {
      throw siteNotFound(siteId);
    }
    return site;
  }
}
