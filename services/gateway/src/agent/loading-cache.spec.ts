import { LoadingCache } from './loading-cache';

describe('LoadingCache', () => {
  let now = 0;
  const cache = (
    options: { maxEntries?: number; keepFor?: (v: string | null) => number | undefined } = {},
  ) =>
    new LoadingCache<string, string | null>({
      ttlMs: 1_000,
      maxEntries: options.maxEntries ?? 100,
      keepFor: options.keepFor,
      now: () => now,
    });
  const deferred = () => {
    let resolve!: (value: string | null) => void;
    const promise = new Promise<string | null>((done) => (resolve = done));
    return { promise, resolve };
  };

  beforeEach(() => (now = 0));

  it('loads a key once for every caller asking meanwhile, then answers from memory', async () => {
    const sut = cache();
    const load = deferred();
    const loader = jest.fn(() => load.promise);

    const first = sut.get('a', loader);
    const second = sut.get('a', loader);
    load.resolve('A');

    expect(await first).toBe('A');
    expect(await second).toBe('A');
    expect(sut.get('a', loader)).toBe('A');
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('forgets an entry at its TTL', async () => {
    const sut = cache();
    await sut.get('a', () => Promise.resolve('A'));
    now = 999;
    expect(sut.peek('a')).toBe('A');
    now = 1_000;
    expect(sut.peek('a')).toBeUndefined();
  });

  it('does not keep a load that an invalidation overtook, but answers its callers', async () => {
    const sut = cache();
    const load = deferred();
    const pending = sut.get('a', () => load.promise);

    sut.delete('a');
    load.resolve('old A');

    expect(await pending).toBe('old A');
    expect(sut.peek('a')).toBeUndefined();
  });

  it('drops what deleteWhere selects and marks every load under way stale', async () => {
    const sut = cache();
    await sut.get('a', () => Promise.resolve('console-1'));
    await sut.get('b', () => Promise.resolve('console-2'));
    const load = deferred();
    const pending = sut.get('c', () => load.promise);

    sut.deleteWhere((value) => value === 'console-1');
    load.resolve('console-2');
    await pending;

    expect([sut.peek('a'), sut.peek('b'), sut.peek('c')]).toEqual([
      undefined,
      'console-2',
      undefined,
    ]);
  });

  it('keeps at most maxEntries, the oldest loaded leaving first', async () => {
    const sut = cache({ maxEntries: 2 });
    for (const key of ['a', 'b', 'c']) await sut.get(key, (k) => Promise.resolve(k.toUpperCase()));

    expect([sut.peek('a'), sut.peek('b'), sut.peek('c')]).toEqual([undefined, 'B', 'C']);
  });

  it('keeps a value as long as keepFor says (a short negative cache)', async () => {
    const sut = cache({ keepFor: (value) => (value === null ? 100 : undefined) });
    await sut.get('unknown', () => Promise.resolve(null));
    now = 99;
    expect(sut.peek('unknown')).toBeNull();
    now = 100;
    expect(sut.peek('unknown')).toBeUndefined();
  });

  it('does not keep a failed load', async () => {
    const sut = cache();
    await expect(sut.get('a', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await sut.get('a', () => Promise.resolve('A'))).toBe('A');
  });
});
