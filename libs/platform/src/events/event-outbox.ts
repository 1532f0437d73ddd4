import type { mongo } from 'mongoose';
import { isDuplicateKeyError } from '../mongo/duplicate-key';

/** An event whose publish failed, kept in the service's own database until it is acknowledged. */
export interface OutboxEntry {
  /** The event's id: storing the same event twice keeps one entry. */
  _id: string;
  subject: string;
  /** The encoded packet, exactly as it is published (payload keys need no escaping). */
  packet: string;
  requestId: string | null;
  createdAt: Date;
  attempts: number;
  /** Not retried before; also a lease: the copy that takes an entry moves it forward. */
  nextAttemptAt: Date;
  lastError: string | null;
}

export const EVENT_OUTBOX_COLLECTION = 'event_outbox';

/**
 * The per-service outbox (docs/adr/0005): events whose publish was not
 * acknowledged wait here, in the service's own database, and every copy of
 * the service relays them. The common case never touches it: an event is
 * published and acknowledged while its request is answered.
 */
export class EventOutbox {
  private readonly entries: mongo.Collection<OutboxEntry>;

  constructor(private readonly db: mongo.Db) {
    this.entries = db.collection<OutboxEntry>(EVENT_OUTBOX_COLLECTION);
  }

  async createIndexes(): Promise<void> {
    // Not used for queries by the local server (ADR 0004); the outbox is empty nearly always.
    await this.entries.createIndex({ nextAttemptAt: 1 }, { name: 'nextAttemptAt_1' });
  }

  /** Keeps an event for the relay; storing it again (a retry) is a no-op. */
  async store(entry: Omit<OutboxEntry, 'attempts' | 'lastError'>, error: string): Promise<void> {
    try {
      await this.entries.insertOne({ ...entry, attempts: 1, lastError: error });
    } catch (insertError) {
      if (!isDuplicateKeyError(insertError)) throw insertError;
    }
  }

  /** Entries due for another attempt, oldest first. */
  due(now: Date, limit: number): Promise<OutboxEntry[]> {
    return this.entries
      .find({ nextAttemptAt: { $lte: now } })
      .sort({ nextAttemptAt: 1 })
      .limit(limit)
      .toArray();
  }

  /**
   * Takes an entry for one attempt by moving its next attempt forward, unless
   * another copy took it since it was read. False: leave it to that copy.
   */
  async take(entry: OutboxEntry, retryAt: Date): Promise<boolean> {
    const before = await this.entries.findOneAndUpdate(
      { _id: entry._id, nextAttemptAt: entry.nextAttemptAt },
      { $set: { nextAttemptAt: retryAt }, $inc: { attempts: 1 } },
      { returnDocument: 'before' },
    );
    return before !== null;
  }

  async noteFailure(id: string, error: string): Promise<void> {
    await this.entries.updateOne({ _id: id }, { $set: { lastError: error } });
  }

  /** The event is in the stream: forget it. */
  async remove(id: string): Promise<void> {
    await this.entries.deleteOne({ _id: id });
  }

  /** How many events wait (tests and diagnostics). */
  async pending(): Promise<number> {
    const reply = await this.db.command({ count: EVENT_OUTBOX_COLLECTION });
    return Number(reply['n']);
  }
}
