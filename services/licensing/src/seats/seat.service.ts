import { Injectable } from '@nestjs/common';
import type { AuditContext, SeatLease } from '@warden/contracts';
import { DomainError, isDuplicateKeyError, newId } from '@warden/platform';
import { AuditPublisher } from '../audit/audit.publisher';
import { ConsoleRepository } from '../consoles/console.repository';
import { assertConsoleMayEnrol } from '../consoles/console.rules';
import { consoleNotFound, SiteService } from '../sites/site.service';
import type { SiteRecord } from '../sites/site.repository';
import { type SeatLeaseRecord, SeatLeaseRepository } from './seat-lease.repository';
import { pickSlot } from './slot-picker';

/** Each failed attempt means another claim took a slot, so this bounds work, not correctness. */
const MAX_CLAIM_ATTEMPTS = 64;

const SYSTEM: AuditContext = { actor: { type: 'system', id: 'licensing' } };

/**
 * Seat leases (DESIGN §6). The invariant — in `hard` mode never more leases
 * than seats — is held by the unique (siteId, slot) index: claiming is
 * "insert into a free slot", and a duplicate-key error means "taken, look
 * again". No counter is read-then-written anywhere.
 */
@Injectable()
export class SeatService {
  constructor(
    private readonly leases: SeatLeaseRepository,
    private readonly sites: SiteService,
    private readonly consoles: ConsoleRepository,
    private readonly audit: AuditPublisher,
  ) {}

  /** Idempotent per (site, hardwareKey): the same device always gets its existing lease back. */
  async claim(siteId: string, hardwareKey: string, context = SYSTEM): Promise<SeatLease> {
    const site = await this.sites.require(siteId);
    const consoleRecord = await this.consoles.findById(site.consoleId);
    if (!consoleRecord) throw consoleNotFound(site.consoleId);
    assertConsoleMayEnrol(consoleRecord);

    for (let attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++) {
      const existing = await this.leases.findByDevice(siteId, hardwareKey);
      if (existing) return view(existing, site);

      const used = await this.leases.usedSlots(siteId);
      const slot = pickSlot(used, site.seats, site.enforcement);
      if (slot === null) throw seatLimitReached(site, used.length);

      const lease: SeatLeaseRecord = {
        _id: newId(),
        siteId,
        consoleId: site.consoleId,
        hardwareKey,
        slot,
        claimedAt: new Date(),
      };
      try {
        await this.leases.insert(lease);
      } catch (error) {
        if (isDuplicateKeyError(error)) continue; // slot taken, or this device won elsewhere: look again
        throw error;
      }

      if (site.enforcement === 'hard' && used.some((s) => s >= site.seats)) {
        await this.verifyAfterSeatsLowered(lease, site);
      }
      this.audit.record({
        context,
        consoleId: site.consoleId,
        siteId,
        action: 'seat.claimed',
        target: { type: 'seat-lease', id: lease._id },
        after: { hardwareKey, slot },
      });
      return view(lease, site);
    }
    throw new DomainError('SERVICE_UNAVAILABLE', 'too many concurrent claims; retry shortly', {
      siteId,
    });
  }

  /** Idempotent: releasing a seat that is not held reports `released: false`. */
  async release(
    siteId: string,
    hardwareKey: string,
    context = SYSTEM,
  ): Promise<{ released: boolean }> {
    const removed = await this.leases.deleteByDevice(siteId, hardwareKey);
    if (!removed) return { released: false };
    this.audit.record({
      context,
      consoleId: removed.consoleId,
      siteId,
      action: 'seat.released',
      target: { type: 'seat-lease', id: removed._id },
      before: { hardwareKey, slot: removed.slot },
    });
    return { released: true };
  }

  /**
   * "Change keycode": claim in the target first, then release the source, so a
   * device never ends up with no seat. A retry after a crash in between simply
   * finds the target lease and releases the source.
   */
  async move(hardwareKey: string, fromSiteId: string, toSiteId: string): Promise<SeatLease> {
    const target = await this.claim(toSiteId, hardwareKey);
    if (fromSiteId !== toSiteId) await this.release(fromSiteId, hardwareKey);
    return target;
  }

  async lookup(siteId: string, hardwareKey: string): Promise<SeatLease> {
    const site = await this.sites.require(siteId);
    const lease = await this.leases.findByDevice(siteId, hardwareKey);
    if (!lease) {
      throw new DomainError('SEAT_LEASE_NOT_FOUND', 'this device holds no seat at this site', {
        siteId,
      });
    }
    return view(lease, site);
  }

  /**
   * Seats lowered below use leave leases in slots ≥ seats, which the slot index
   * does not bound. While such leases exist, a claim into a freed lower slot
   * must also see the total within seats; if not, it withdraws. Checking after
   * the insert (not before) is what makes this safe under concurrency: of any
   * set of claims that all stay, the one that counted last saw them all.
   */
  private async verifyAfterSeatsLowered(lease: SeatLeaseRecord, site: SiteRecord): Promise<void> {
    const total = await this.leases.count(site._id);
    if (total <= site.seats) return;
    await this.leases.deleteById(lease._id);
    throw seatLimitReached(site, total - 1);
  }
}

function view(lease: SeatLeaseRecord, site: SiteRecord): SeatLease {
  return {
    id: lease._id,
    siteId: lease.siteId,
    consoleId: lease.consoleId,
    hardwareKey: lease.hardwareKey,
    slot: lease.slot,
    overage: lease.slot >= site.seats,
    claimedAt: lease.claimedAt.toISOString(),
  };
}

function seatLimitReached(site: SiteRecord, used: number): DomainError {
  return new DomainError('SEAT_LIMIT_REACHED', 'every seat of this site is taken', {
    siteId: site._id,
    seats: site.seats,
    used,
  });
}
