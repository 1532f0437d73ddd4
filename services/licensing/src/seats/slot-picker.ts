import type { SiteRecord } from '../sites/site.repository';

/**
 * Chooses the slot a new lease will try to insert into, from the slots taken
 * a moment ago. Returns null when the site has no seat to give.
 *
 * - hard: a random free slot in [0, seats). Random, not lowest-first, so that
 *   concurrent claimers rarely race for the same slot. None when used ≥ seats
 *   (this also covers seats lowered below use).
 * - soft: a free slot in [0, seats) if any, else the lowest free slot at or
 *   above `seats` (an overage lease).
 */
export function pickSlot(
  used: readonly number[],
  seats: number,
  enforcement: SiteRecord['enforcement'],
  random: (max: number) => number = (max) => Math.floor(Math.random() * max),
): number | null {
  const taken = new Set(used);
  if (enforcement === 'hard' && taken.size >= seats) return null;

  // Mostly empty site: a few random probes find a free slot without walking all seats.
  if (taken.size * 2 < seats) {
    for (let probe = 0; probe < 8; probe++) {
      const slot = random(seats);
      if (!taken.has(slot)) return slot;
    }
  }
  const free: number[] = [];
  for (let slot = 0; slot < seats; slot++) if (!taken.has(slot)) free.push(slot);
  if (free.length > 0) return free[random(free.length)]!;
  if (enforcement === 'hard') return null;

  let overageSlot = seats;
  while (taken.has(overageSlot)) overageSlot++;
  return overageSlot;
}
