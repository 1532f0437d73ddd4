import type { EndpointLifecycle, SiteLeases } from '@warden/contracts';

/** Lifecycles that hold a seat: the device may still be protecting (DESIGN §2, journey 11). */
export const SEAT_HOLDING_LIFECYCLES: ReadonlySet<EndpointLifecycle> = new Set([
  'active',
  'deactivation_pending',
  'removal_unverified',
]);

/** What the reconciliation compares a site's leases with (inventory `siteDevices`). */
export interface SiteEndpoint {
  deviceId: string;
  hardwareKey: string;
  lifecycle: EndpointLifecycle;
  enrolledAt: string;
}

export type SeatLeaseEntry = SiteLeases['leases'][number];

/** The repairs one site needs, in the order they are applied. */
export interface SeatRepairPlan {
  /** Leases of no seat-holding endpoint: released first, so claims may use their slots. */
  release: SeatLeaseEntry[];
  /** Seat-holding endpoints without a lease. */
  claim: SiteEndpoint[];
  /** Seats were lowered below the slots once reached (ADR 0003): ask licensing to lower `slotRange`. */
  lowerSlotRange: boolean;
}

/**
 * Compares a site's seat leases with its endpoints. Anything younger than
 * `minAgeMs` is left alone: an enrolment claims its lease before it writes its
 * endpoint, so a fresh lease may have an endpoint on its way; and a fresh
 * endpoint's lease was claimed just before it, possibly after the leases were
 * read. Read the leases before the endpoints: a deactivation sets the
 * endpoint `deactivated` before it releases the lease, so that order never
 * shows a seat-holding endpoint whose lease is merely being released.
 */
export function planSeatRepairs(
  site: Pick<SiteLeases, 'seats' | 'slotRange' | 'leases'>,
  endpoints: readonly SiteEndpoint[],
  now: Date,
  minAgeMs: number,
): SeatRepairPlan {
  const settled = (at: string) => now.getTime() - Date.parse(at) >= minAgeMs;
  const holding = new Set(
    endpoints
      .filter((endpoint) => SEAT_HOLDING_LIFECYCLES.has(endpoint.lifecycle))
      .map((endpoint) => endpoint.hardwareKey),
  );
  const leased = new Set(site.leases.map((lease) => lease.hardwareKey));
  return {
    release: site.leases.filter(
      (lease) => !holding.has(lease.hardwareKey) && settled(lease.claimedAt),
    ),
    claim: endpoints.filter(
      (endpoint) =>
        SEAT_HOLDING_LIFECYCLES.has(endpoint.lifecycle) &&
        !leased.has(endpoint.hardwareKey) &&
        settled(endpoint.enrolledAt),
    ),
    lowerSlotRange: site.slotRange > site.seats,
  };
}
