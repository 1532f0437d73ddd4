import { latencySummary } from './swarm';

describe('the swarm’s latency summary', () => {
  it('gives nearest-rank percentiles and the maximum', () => {
    const samples = Array.from({ length: 200 }, (_, i) => i + 1); // 1 … 200 ms, shuffled below
    samples.sort(() => Math.random() - 0.5);
    expect(latencySummary(samples)).toEqual({ count: 200, p50Ms: 100, p99Ms: 198, maxMs: 200 });
  });

  it('is all zeros without samples, and the one value with one', () => {
    expect(latencySummary([])).toEqual({ count: 0, p50Ms: 0, p99Ms: 0, maxMs: 0 });
    expect(latencySummary([3.14159])).toEqual({ count: 1, p50Ms: 3.1, p99Ms: 3.1, maxMs: 3.1 });
  });
});
