import { Inject, Injectable } from '@nestjs/common';
import {
  type ErrorCode,
  type HousekeepingSite,
  inventoryRpc,
  licensingRpc,
  SITE_DEVICES_PAGE_MAX,
  SITE_LEASES_PAGE_MAX,
  type SiteLeases,
} from '@warden/contracts';
import {
  type AuditRecord,
  AuditPublisher,
  derivedEventId,
  DomainError,
  EventPublisher,
  LOGGER,
  type Logger,
  NatsRpcClient,
} from '@warden/platform';
import { COMMAND_CONFIG } from '../command.tokens';
import type { CommandConfig } from '../config';
import { allSites, housekeepingCaller } from './all-sites';
import { ClaimRefusals } from './claim-refusals';
import { planSeatRepairs, type SeatLeaseEntry, type SiteEndpoint } from './seat-repairs';

const caller = housekeepingCaller('seat-reconciliation');

/** Licensing's answers to a claim that another run would get too: recorded, not retried now. */
const CLAIM_REFUSALS: ReadonlySet<ErrorCode> = new Set([
  'SEAT_LIMIT_REACHED',
  'CONSOLE_SUSPENDED',
  'CONSOLE_TRIAL_EXPIRED',
]);

export interface ReconciliationSummary {
  sites: number;
  released: number;
  claimed: number;
  refused: number;
  slotRangesLowered: number;
}

/**
 * Seat leases against endpoints, site by site (DESIGN §6, ADR 0003): a lease
 * no seat-holding endpoint uses is released, a seat-holding endpoint without
 * a lease gets one, and a slot range left above the seats is lowered. Every
 * repair is audited as `seat.reconciled`.
 */
@Injectable()
export class SeatReconciler {
  constructor(
    private readonly rpc: NatsRpcClient,
    private readonly audit: AuditPublisher,
    private readonly events: EventPublisher,
    private readonly refusals: ClaimRefusals,
    @Inject(COMMAND_CONFIG) private readonly config: CommandConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Every site; one that fails (a service unreachable) does not stop the
   * others, and the run then fails so that it shows in the queue's failed set.
   * Repairs are idempotent, so the next run simply finds what is left.
   */
  async reconcileAll(tick: Date): Promise<ReconciliationSummary> {
    const summary: ReconciliationSummary = {
      sites: 0,
      released: 0,
      claimed: 0,
      refused: 0,
      slotRangesLowered: 0,
    };
    const failed: string[] = [];
    for await (const site of allSites(this.rpc, caller)) {
      summary.sites += 1;
      try {
        await this.reconcileSite(site, tick, summary);
      } catch (error) {
        failed.push(site.siteId);
        this.logger.warn(
          { siteId: site.siteId, err: error instanceof Error ? error.message : String(error) },
          'seat reconciliation of a site failed; the next run tries again',
        );
      }
    }
    if (failed.length > 0) {
      throw new Error(
        `seat reconciliation failed for ${failed.length} site(s): ${failed.join(', ')}`,
      );
    }
    return summary;
  }

  private async reconcileSite(
    site: HousekeepingSite,
    tick: Date,
    summary: ReconciliationSummary,
  ): Promise<void> {
    const { siteId } = site;
    // Leases first, then endpoints: see planSeatRepairs.
    const leases = await this.allLeases(siteId);
    const devices = await this.allDevices(siteId);
    const plan = planSeatRepairs(leases, devices, new Date(), this.config.jobs.reconcileMinAgeMs);
    const audited = (record: Omit<AuditRecord, 'caller' | 'consoleId' | 'siteId' | 'action'>) =>
      this.audit.prepare({
        caller,
        consoleId: site.consoleId,
        siteId,
        action: 'seat.reconciled',
        occurredAt: new Date(),
        ...record,
      });

    for (const lease of plan.release) {
      if (await this.release(siteId, lease)) {
        summary.released += 1;
        await this.events.publish(
          audited({
            eventId: derivedEventId(
              `seat.reconciled:${tick.toISOString()}:${siteId}:release:${lease.hardwareKey}`,
            ),
            target: { type: 'seat-lease', id: lease.hardwareKey },
            before: {
              hardwareKey: lease.hardwareKey,
              slot: lease.slot,
              claimedAt: lease.claimedAt,
            },
            after: { repair: 'lease_without_endpoint_released' },
          }),
        );
      }
    }

    for (const endpoint of plan.claim) {
      const outcome = await this.claim(siteId, endpoint);
      const eventId = derivedEventId(
        `seat.reconciled:${tick.toISOString()}:${siteId}:claim:${endpoint.hardwareKey}`,
      );
      const target = { type: 'endpoint', id: endpoint.deviceId };
      if (outcome.claimed) {
        summary.claimed += 1;
        await this.events.publish(
          audited({
            eventId,
            target,
            after: {
              repair: 'endpoint_without_lease_claimed',
              hardwareKey: endpoint.hardwareKey,
              slot: outcome.slot,
            },
          }),
        );
      } else if (
        await this.refusals.recordFirst(siteId, endpoint.hardwareKey, outcome.code, tick)
      ) {
        summary.refused += 1;
        await this.events.publish(
          audited({
            eventId,
            target,
            outcome: 'failure',
            after: {
              repair: 'endpoint_without_lease_refused',
              hardwareKey: endpoint.hardwareKey,
              code: outcome.code,
            },
          }),
        );
      }
    }

    if (plan.lowerSlotRange) {
      const lowered = await this.rpc.request(licensingRpc.lowerSlotRange, { caller, siteId });
      if (lowered.lowered) {
        summary.slotRangesLowered += 1;
        await this.events.publish(
          audited({
            eventId: derivedEventId(`seat.reconciled:${tick.toISOString()}:${siteId}:slot-range`),
            target: { type: 'site', id: siteId },
            before: { seats: leases.seats, slotRange: leases.slotRange },
            after: { repair: 'slot_range_lowered', slotRange: lowered.slotRange },
          }),
        );
      }
    }
  }

  /** False when the lease was gone already (released meanwhile): nothing to audit. */
  private async release(siteId: string, lease: SeatLeaseEntry): Promise<boolean> {
    const { released } = await this.rpc.request(licensingRpc.releaseSeat, {
      caller,
      siteId,
      hardwareKey: lease.hardwareKey,
    });
    return released;
  }

  private async claim(
    siteId: string,
    endpoint: SiteEndpoint,
  ): Promise<{ claimed: true; slot: number } | { claimed: false; code: ErrorCode }> {
    try {
      const lease = await this.rpc.request(licensingRpc.claimSeat, {
        caller,
        siteId,
        hardwareKey: endpoint.hardwareKey,
      });
      await this.refusals.forget(siteId, endpoint.hardwareKey);
      return { claimed: true, slot: lease.slot };
    } catch (error) {
      if (error instanceof DomainError && CLAIM_REFUSALS.has(error.code)) {
        return { claimed: false, code: error.code };
      }
      throw error;
    }
  }

  /** Every lease of the site, page by page (one reply is at most 1 MiB). */
  private async allLeases(siteId: string): Promise<SiteLeases> {
    const first = await this.rpc.request(licensingRpc.siteLeases, {
      caller,
      siteId,
      pageSize: SITE_LEASES_PAGE_MAX,
    });
    const leases = [...first.leases];
    for (let afterSlot = first.nextAfterSlot; afterSlot !== null;) {
      const page = await this.rpc.request(licensingRpc.siteLeases, {
        caller,
        siteId,
        pageSize: SITE_LEASES_PAGE_MAX,
        afterSlot,
      });
      leases.push(...page.leases);
      afterSlot = page.nextAfterSlot;
    }
    return { ...first, leases, nextAfterSlot: null };
  }

  /** Every endpoint of the site, page by page. */
  private async allDevices(siteId: string): Promise<SiteEndpoint[]> {
    const devices: SiteEndpoint[] = [];
    let after: string | undefined;
    do {
      const page = await this.rpc.request(inventoryRpc.siteDevices, {
        caller,
        siteId,
        pageSize: SITE_DEVICES_PAGE_MAX,
        ...(after === undefined ? {} : { after }),
      });
      devices.push(...page.devices);
      after = page.nextAfter ?? undefined;
    } while (after !== undefined);
    return devices;
  }
}
