import { candidateSlots } from './slot-picker';

const first = () => 0;

describe('candidateSlots', () => {
  it('offers exactly the free slots below seats in hard mode', () => {
    expect(candidateSlots([0, 2], 4, 'hard').sort()).toEqual([1, 3]);
  });

  it('offers nothing when every seat is taken', () => {
    expect(candidateSlots([0, 1, 2], 3, 'hard')).toEqual([]);
    expect(candidateSlots([], 0, 'hard')).toEqual([]);
  });

  it('offers nothing in hard mode while seats are lowered below use, even with low slots free', () => {
    // seats 3, leases in slots 1, 3, 4 (slots 0 and 2 freed after lowering from 5)
    expect(candidateSlots([1, 3, 4], 3, 'hard')).toEqual([]);
  });

  it('offers free low slots first, then the lowest free overage slots, in soft mode', () => {
    const sut = candidateSlots([0, 3, 5], 2, 'soft', first);

    expect(sut[0]).toBe(1);
    const overage = sut.slice(1);
    expect(overage).toHaveLength(64);
    expect([...overage].sort((a, b) => a - b).slice(0, 4)).toEqual([2, 4, 6, 7]);
    expect(overage).not.toContain(3);
    expect(overage).not.toContain(5);
  });

  it('shuffles, so concurrent claimers start from different slots', () => {
    const starts = new Set(Array.from({ length: 200 }, () => candidateSlots([], 50, 'hard')[0]));

    expect(starts.size).toBeGreaterThan(30);
  });
});
