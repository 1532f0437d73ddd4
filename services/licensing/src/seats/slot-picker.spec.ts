import { pickSlot } from './slot-picker';

const first = () => 0;
const last = (max: number) => max - 1;

describe('pickSlot', () => {
  it('picks only free slots below seats in hard mode', () => {
    expect(pickSlot([0, 2], 4, 'hard', first)).toBe(1);
    expect(pickSlot([0, 2], 4, 'hard', last)).toBe(3);
  });

  it('has nothing to give when every seat is taken', () => {
    expect(pickSlot([0, 1, 2], 3, 'hard')).toBeNull();
    expect(pickSlot([], 0, 'hard')).toBeNull();
  });

  it('gives nothing in hard mode while seats are lowered below use, even with low slots free', () => {
    // seats 3, leases in slots 1, 3, 4 (slots 0 and 2 freed after lowering from 5)
    expect(pickSlot([1, 3, 4], 3, 'hard')).toBeNull();
  });

  it('goes beyond seats in soft mode, to the lowest free overage slot', () => {
    expect(pickSlot([0, 1], 2, 'soft')).toBe(2);
    expect(pickSlot([0, 1, 2, 4], 2, 'soft')).toBe(3);
    expect(pickSlot([0, 3], 2, 'soft', first)).toBe(1);
  });

  it('spreads concurrent claimers over the free slots', () => {
    const picks = new Set(Array.from({ length: 200 }, () => pickSlot([], 50, 'hard')));

    expect(picks.size).toBeGreaterThan(30);
  });
});
