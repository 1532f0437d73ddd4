import type { BeforeApplicationShutdown, OnModuleInit } from '@nestjs/common';

/**
 * What the agent path reports to a service in batches rather than per
 * check-in (ADR 0011): records keyed by device (or command), the later one
 * merged into what is pending, sent every `flushMs` or as soon as a batch is
 * full, one batch in flight at a time (what arrives meanwhile waits,
 * coalesced). A batch the service does not take is kept (up to `maxKept`
 * records) and sent with the next; `flush()` at shutdown sends what is left.
 */
export class Batcher<T> {
  private pending = new Map<string, T>();
  private timer?: NodeJS.Timeout;
  private sending?: Promise<void>;

  constructor(
    private readonly options: {
      keyOf: (record: T) => string;
      /** The pending record of a key and a newer one, as one (default: the newer). */
      merge?: (earlier: T, later: T) => T;
      /** Records per message: a batch this big is sent before its time. */
      batchSize: number;
      /** Records kept while the service does not take them; beyond, the oldest are dropped. */
      maxKept: number;
      /** Throws when the service did not take the batch. */
      send: (batch: T[]) => Promise<unknown>;
      onFailure: (error: unknown, records: number) => void;
      onDropped: (records: number) => void;
    },
  ) {}

  /** Sends every `flushMs` from now on (the timer does not keep the process alive). */
  start(flushMs: number): void {
    this.timer = setInterval(() => {
      if (!this.sending) void this.flush();
    }, flushMs);
    this.timer.unref();
  }

  /** Stops the timer and sends what is pending. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  record(record: T): void {
    this.add(record);
    // A full batch goes now; while one is being sent, the send takes the next full one after it.
    if (this.pending.size >= this.options.batchSize && !this.sending) void this.flush();
  }

  /** Records waiting to be sent. */
  get size(): number {
    return this.pending.size;
  }

  /** Sends everything pending (after a send already under way). */
  async flush(): Promise<void> {
    while (this.sending) await this.sending;
    if (this.pending.size === 0) return;
    this.sending = this.drain().finally(() => (this.sending = undefined));
    await this.sending;
  }

  private add(record: T): void {
    const key = this.options.keyOf(record);
    const earlier = this.pending.get(key);
    const merge = this.options.merge;
    this.pending.set(
      key,
      earlier === undefined || merge === undefined ? record : merge(earlier, record),
    );
  }

  /** What is pending, then each full batch that arrived meanwhile; stops at a failure (kept). */
  private async drain(): Promise<void> {
    do {
      const batch = [...this.pending.values()];
      this.pending = new Map();
      if (!(await this.send(batch))) return;
    } while (this.pending.size >= this.options.batchSize);
  }

  private async send(batch: T[]): Promise<boolean> {
    const { batchSize } = this.options;
    for (let start = 0; start < batch.length; start += batchSize) {
      try {
        await this.options.send(batch.slice(start, start + batchSize));
      } catch (error) {
        this.options.onFailure(error, batch.length - start);
        this.keep(batch.slice(start));
        return false;
      }
    }
    return true;
  }

  /** Puts unsent records back under the ones that arrived meanwhile. */
  private keep(unsent: T[]): void {
    const newer = this.pending;
    this.pending = new Map();
    const room = Math.max(0, this.options.maxKept - newer.size);
    for (const kept of unsent.slice(0, room)) this.pending.set(this.options.keyOf(kept), kept);
    for (const arrived of newer.values()) this.add(arrived);
    const dropped = unsent.length - Math.min(unsent.length, room);
    if (dropped > 0) this.options.onDropped(dropped);
  }
}

/**
 * A gateway provider that reports through a `Batcher`: it sends every
 * `flushMs` once the module is up, and what is pending before the
 * application shuts down (while NATS is still open).
 */
export abstract class BatchReporter<T> implements OnModuleInit, BeforeApplicationShutdown {
  protected constructor(
    protected readonly batcher: Batcher<T>,
    private readonly flushMs: number,
  ) {}

  onModuleInit(): void {
    this.batcher.start(this.flushMs);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.batcher.stop();
  }

  /** Records waiting to be sent. */
  get size(): number {
    return this.batcher.size;
  }

  /** Sends everything pending (after a send already under way). */
  flush(): Promise<void> {
    return this.batcher.flush();
  }
}
