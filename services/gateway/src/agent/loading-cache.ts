/**
 * A bounded in-memory map of what a gateway copy looked up over NATS, for
 * the agent path (ADR 0011):
 *
 * - entries live `ttlMs` at most, so a missed event is forgotten in time;
 * - one load per key at a time (single flight): a thousand check-ins of a
 *   device not yet cached make one request;
 * - an invalidation that arrives while a key is loading marks that load
 *   stale: its result still answers the requests that waited for it, but is
 *   not kept (it may have been read before the change);
 * - past `maxEntries` the oldest loaded entry leaves first.
 */
export class LoadingCache<K, V> {
  private readonly entries = new Map<K, { value: V; expiresAt: number }>();
  private readonly loading = new Map<K, { promise: Promise<V>; stale: boolean }>();

  constructor(
    private readonly options: {
      ttlMs: number;
      maxEntries: number;
      /** How long a result `keepFor` rejects is kept (e.g. a short negative cache); 0: not at all. */
      keepFor?: (value: V) => number | undefined;
      now?: () => number;
    },
  ) {}

  /** The cached value, if fresh; no load. */
  peek(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > this.now()) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  /** The cached value, or one load shared by every caller asking meanwhile. */
  get(key: K, load: (key: K) => Promise<V>): V | Promise<V> {
    const cached = this.peek(key);
    if (cached !== undefined) return cached;
    const pending = this.loading.get(key);
    if (pending) return pending.promise;
    const flight = { promise: undefined as unknown as Promise<V>, stale: false };
    flight.promise = load(key).then(
      (value) => {
        this.loading.delete(key);
        if (!flight.stale) this.keep(key, value);
        return value;
      },
      (error: unknown) => {
        this.loading.delete(key);
        throw error;
      },
    );
    this.loading.set(key, flight);
    return flight.promise;
  }

  delete(key: K): void {
    this.entries.delete(key);
    const pending = this.loading.get(key);
    if (pending) pending.stale = true;
  }

  /** Drops every entry `matches` selects, and every load in flight (its key's value is not known yet). */
  deleteWhere(matches: (value: V, key: K) => boolean): void {
    for (const [key, entry] of this.entries)
      if (matches(entry.value, key)) this.entries.delete(key);
    for (const pending of this.loading.values()) pending.stale = true;
  }

  clear(): void {
    this.entries.clear();
    for (const pending of this.loading.values()) pending.stale = true;
  }

  get size(): number {
    return this.entries.size;
  }

  private keep(key: K, value: V): void {
    const ttl = this.options.keepFor?.(value) ?? this.options.ttlMs;
    if (ttl <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + ttl });
    // A Map iterates in insertion order: the first key is the oldest load.
    while (this.entries.size > this.options.maxEntries) {
      this.entries.delete(this.entries.keys().next().value as K);
    }
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
