import { fullJitterDelayMs, retryAfterMs } from './backoff';

describe('full-jitter backoff', () => {
  const settings = { baseMs: 1_000, capMs: 60_000 };

  it('waits anywhere from nothing up to base · 2^failures', () => {
    expect(fullJitterDelayMs(0, settings, () => 0)).toBe(0);
    expect(fullJitterDelayMs(0, settings, () => 0.999)).toBe(999);
    expect(fullJitterDelayMs(3, settings, () => 0.5)).toBe(4_000);
    expect(fullJitterDelayMs(3, settings, () => 0.999)).toBe(7_992);
  });

  it('never waits longer than the cap, however many failures (no overflow)', () => {
    expect(fullJitterDelayMs(10, settings, () => 0.999)).toBe(59_940);
    expect(fullJitterDelayMs(10_000, settings, () => 0.999)).toBe(59_940);
  });

  it('spreads a fleet that failed together over the whole window', () => {
    const waits = Array.from({ length: 2_000 }, () => fullJitterDelayMs(4, settings));
    const window = 16_000;
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...waits)).toBeLessThan(window);
    // Each quarter of the window gets roughly a quarter of the retries.
    for (let quarter = 0; quarter < 4; quarter += 1) {
      const inQuarter = waits.filter(
        (w) => w >= (quarter * window) / 4 && w < ((quarter + 1) * window) / 4,
      ).length;
      expect(inQuarter).toBeGreaterThan(350);
      expect(inQuarter).toBeLessThan(650);
    }
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2026-12-02T09:00:00Z');

  it('reads delta-seconds', () => {
    expect(retryAfterMs('7', now)).toBe(7_000);
    expect(retryAfterMs(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP date, never a negative wait', () => {
    expect(retryAfterMs('Wed, 02 Dec 2026 09:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Wed, 02 Dec 2026 08:59:00 GMT', now)).toBe(0);
  });

  it('is absent when missing or unreadable', () => {
    expect(retryAfterMs(undefined, now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs('-3', now)).toBeUndefined();
  });
});
