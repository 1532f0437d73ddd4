import { Injectable } from '@nestjs/common';
import type { Caller, InputOf, licensingRpc, ReplyOf, SeatLease } from '@warden/contracts';
import { AuditPublisher, DomainError, EventPublisher } from '@warden/platform';
import { randomInt } from 'node:crypto';
import type { SiteRecord } from '../sites/site.repository';
import { SiteRepository } from '../sites/site.repository';
import { seatLimitReached } from '../licensing.errors';
import { resolvedKeycode, SiteService } from '../sites/site.service';
import { leaseKey, type SeatLeaseRecord, SeatLeaseRepository } from './seat-lease.repository';
import { candidateSlots } from './slot-picker';

/** Random slots tried before reading the occupied ones: a miss usually means the site is nearly full. */
const FAST_PROBES = 4;
/** Each new scan means every slot seen free was taken by others: this bounds work, not correctness. */
const MAX_SCANS = 8;

/**
 * Seat leases (DESIGN §6, docs/adr/0003). The invariant — in `hard` mode
 * never more leases than seats — is held by the unique (siteId, slot) index:
 * claiming is "insert into a free slot", and a duplicate-key error means
 * "taken, look again". No counter is read-then-written anywhere.
 */
@Injectable()
export class SeatService {
  constructor(
    private readonly leases: SeatLeaseRepository,
    private readonly sites: SiteService,
    private readonly siteRecords: SiteRepository,
    private readonly audit: AuditPublisher,
    private readonly events: EventPublisher,
  ) {}

  /** Idempotent per (site, hardwareKey): the same device always gets its existing lease back. */
  async claim(
    caller: Caller,
    { siteId, hardwareKey }: InputOf<typeof licensingRpc.claimSeat>,
  ): Promise<SeatLease> {
    const site = await this.sites.require(siteId);
    await this.sites.assertMayEnrol(site);
    return this.claimAt(caller, site, hardwareKey);
  }

  /** The enrolment path: the keycode's site (through the same gate) and the seat, in one call. */
  async claimByKeycode(
    caller: Caller,
    { keycode, hardwareKey }: InputOf<typeof licensingRpc.claimSeatByKeycode>,
  ): Promise<ReplyOf<typeof licensingRpc.claimSeatByKeycode>> {
    const site = await this.sites.enrollingSite(keycode);
    return { site: resolvedKeycode(site), lease: await this.claimAt(caller, site, hardwareKey) };
  }

  /** A seat of a site that may enrol now, for this device. */
  private async claimAt(caller: Caller, site: SiteRecord, hardwareKey: string): Promise<SeatLease> {
    const siteId = site._id;
    const key = leaseKey(siteId, hardwareKey);
    // Prepared before the insert; the slot is filled in once the lease exists.
    const audited = this.audit.prepare({
      caller,
      consoleId: site.consoleId,
      siteId,
      action: 'seat.claimed',
      target: { type: 'seat-lease', id: key },
      after: { hardwareKey },
    });

    const lease =
      (await this.claimFast(site, key, hardwareKey)) ??
      (await this.claimCareful(site, key, hardwareKey));
    if (lease.claimed) {
      await this.events.publish(
        this.audit.complete(audited, { after: { hardwareKey, slot: lease.record.slot } }),
      );
    }
    return view(lease.record, site);
  }

  /**
   * The common case, one insert: into a random slot below seats. The lease's
   * `_id` is the device's, so a device that already holds its seat is refused
   * by `_id` and found by the one lookup after the first miss. In `hard` mode
   * only while no lease can sit above the seats (slotRange ≤ seats), since
   * then the slot index alone bounds the total; null hands over to the
   * careful path.
   */
  private async claimFast(
    site: SiteRecord,
    key: string,
    hardwareKey: string,
  ): Promise<Claimed | null> {
    if (site.seats === 0) return null;
    const mayHoldOverage = (site.slotRange ?? Number.POSITIVE_INFINITY) > site.seats;
    if (site.enforcement === 'hard' && mayHoldOverage) return null;
    for (let probe = 0; probe < FAST_PROBES; probe++) {
      const record = leaseRecord(site, key, hardwareKey, randomInt(site.seats));
      if (await this.leases.tryInsert(record)) return { record, claimed: true };
      if (probe === 0) {
        // A retried claim, a re-installed agent, or a parallel claim of this device.
        const mine = await this.leases.findByKey(key);
        if (mine) return { record: mine, claimed: false };
      }
    }
    return null;
  }

  /**
   * Nearly full sites, soft-mode overage and seats lowered below use. Returns
   * the device's lease if it has one; in `hard` mode refuses at once when the
   * site's leases already fill its seats (one count, not a read of every
   * lease); otherwise reads the occupied slots and tries the free ones in
   * turn, reading again only when all of them were taken meanwhile.
   */
  private async claimCareful(site: SiteRecord, key: string, hardwareKey: string): Promise<Claimed> {
    for (let scan = 0; scan < MAX_SCANS; scan++) {
      const mine = await this.leases.findByKey(key);
      if (mine) return { record: mine, claimed: false };
      if (site.enforcement === 'hard') {
        const used = await this.leases.count(site._id);
        if (used >= site.seats) throw seatLimitReached(site, used);
      }
      const used = await this.leases.usedSlots(site._id);
      const candidates = candidateSlots(used, site.seats, site.enforcement);
      if (candidates.length === 0) throw seatLimitReached(site, used.length);
      const mustVerify = site.enforcement === 'hard' && used.some((s) => s >= site.seats);

      for (const slot of candidates) {
        if (slot >= site.seats) {
          // Soft-mode overage: widen the site's slot range before the lease exists.
          await this.siteRecords.raiseSlotRange(site._id, slot + 1);
        }
        const record = leaseRecord(site, key, hardwareKey, slot);
        if (await this.leases.tryInsert(record)) {
          if (mustVerify) await this.verifyAfterSeatsLowered(record, site);
          return { record, claimed: true };
        }
        const raced = await this.leases.findByKey(key);
        if (raced) return { record: raced, claimed: false }; // a parallel claim of this device won
      }
    }
    throw new DomainError('SERVICE_UNAVAILABLE', 'too many concurrent claims; retry shortly', {
      siteId: site._id,
    });
  }

  /** Idempotent: releasing a seat that is not held reports `released: false`. */
  async release(
    caller: Caller,
    { siteId, hardwareKey }: InputOf<typeof licensingRpc.releaseSeat>,
  ): Promise<{ released: boolean }> {
    const key = leaseKey(siteId, hardwareKey);
    const lease = await this.leases.findByKey(key);
    if (!lease) return { released: false };
    const audited = this.audit.prepare({
      caller,
      consoleId: lease.consoleId,
      siteId,
      action: 'seat.released',
      target: { type: 'seat-lease', id: key },
      before: { hardwareKey, slot: lease.slot },
    });
    if (!(await this.leases.deleteByKey(key))) return { released: false };
    await this.events.publish(audited);
    return { released: true };
  }

  /**
   * "Change keycode": claim in the target first, then release the source, so a
   * device never ends up with no seat. A retry after a crash in between simply
   * finds the target lease and releases the source.
   */
  async move(
    caller: Caller,
    { hardwareKey, fromSiteId, toSiteId }: InputOf<typeof licensingRpc.moveSeat>,
  ): Promise<SeatLease> {
    const target = await this.claim(caller, { siteId: toSiteId, hardwareKey });
    if (fromSiteId !== toSiteId) await this.release(caller, { siteId: fromSiteId, hardwareKey });
    return target;
  }

  async lookup(
    _caller: Caller,
    { siteId, hardwareKey }: InputOf<typeof licensingRpc.lookupSeat>,
  ): Promise<SeatLease> {
    const [site, lease] = await Promise.all([
      this.sites.require(siteId),
      this.leases.findByKey(leaseKey(siteId, hardwareKey)),
    ]);
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
    await this.leases.deleteByKey(lease._id);
    throw seatLimitReached(site, total - 1);
  }
}

interface Claimed {
  record: SeatLeaseRecord;
  /** False when the lease already existed (a parallel claim of the same device). */
  claimed: boolean;
}

function leaseRecord(
  site: SiteRecord,
  key: string,
  hardwareKey: string,
  slot: number,
): SeatLeaseRecord {
  return {
    _id: key,
    siteId: site._id,
    consoleId: site.consoleId,
    hardwareKey,
    slot,
    claimedAt: new Date(),
  };
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
