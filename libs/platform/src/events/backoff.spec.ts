import { retryDelayMs } from './backoff';

describe('retryDelayMs', () => {
  const options = { baseMs: 100, maxMs: 10_000 };

  it('doubles with each attempt, within the upper half of the interval', () => {
    expect(retryDelayMs(1, options, () => 0)).toBe(50);
    expect(retryDelayMs(1, options, () => 1)).toBe(100);
    expect(retryDelayMs(4, options, () => 1)).toBe(800);
  });

  it('never waits longer than the maximum, however many attempts', () => {
    expect(retryDelayMs(10_000, options, () => 1)).toBe(10_000);
  });

  it('treats attempt 0 like the first one', () => {
    expect(retryDelayMs(0, options, () => 1)).toBe(100);
  });
});
