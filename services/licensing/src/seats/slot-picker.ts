import type { SiteRecord } from '../sites/site.repository';

/**
 * Overage slots offered per scan in soft mode; more are found by the next
 * scan. Wide and shuffled, so a burst of claims past the seats spreads over
 * many slots instead of every claimer racing for the lowest free one.
 */
const OVERAGE_CANDIDATES = 64;

/**
 * The slots a claim will try, in order, given the slots taken a moment ago.
 * Empty when the site has no seat to give.
 *
 * - hard: the free slots in [0, seats), shuffled so that concurrent claimers
 *   rarely race for the same one. None when used ≥ seats, which also covers
 *   seats lowered below use.
 * - soft: the same, then the lowest free slots at or above `seats` (overage),
 *   shuffled among themselves.
 */
export function candidateSlots(
  used: readonly number[],
  seats: number,
  enforcement: SiteRecord['enforcement'],
  random: (max: number) => number = (max) => Math.floor(Math.random() * max),
): number[] {
  const taken = new Set(used);
  if (enforcement === 'hard' && taken.size >= seats) return [];

  const free: number[] = [];
  for (let slot = 0; slot < seats; slot++) if (!taken.has(slot)) free.push(slot);
  shuffle(free, random);
  if (enforcement === 'hard') return free;

  const overage: number[] = [];
  // Ends: past the highest taken slot every slot is free.
  for (let slot = seats; overage.length < OVERAGE_CANDIDATES; slot++) {
    if (!taken.has(slot)) overage.push(slot);
  }
  shuffle(overage, random);
  return [...free, ...overage];
}

function shuffle(slots: number[], random: (max: number) => number): void {
  for (let i = slots.length - 1; i > 0; i--) {
    const j = random(i + 1);
    [slots[i], slots[j]] = [slots[j]!, slots[i]!];
  }
}
