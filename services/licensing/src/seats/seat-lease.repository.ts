import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { countMatching, insertUnlessDuplicate, MONGO_CONNECTION } from '@warden/platform';
import type { Connection, Model } from 'mongoose';
import { createHash } from 'node:crypto';
import { SeatLeaseModel, type SeatLeaseRecord } from './seat-lease.model';

export type { SeatLeaseRecord } from './seat-lease.model';

/**
 * A lease's `_id`, derived from the site and the device (the natural key the
 * unique (siteId, hardwareKey) index also holds): claiming again, looking up
 * and releasing are single-key `_id` operations, and a claim's insert is
 * refused by `_id` alone when this device already holds the seat.
 */
export function leaseKey(siteId: string, hardwareKey: string): string {
  return `${siteId}:${createHash('sha256').update(hardwareKey, 'utf8').digest('hex').slice(0, 32)}`;
}

@Injectable()
export class SeatLeaseRepository implements OnModuleInit {
  private readonly leases: Model<SeatLeaseRecord>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.leases = SeatLeaseModel.on(connection);
  }

  async onModuleInit(): Promise<void> {
    await this.leases.createIndexes();
  }

  /** True if inserted; false if a unique index refused it (slot taken, or this device already holds a lease). */
  tryInsert(record: SeatLeaseRecord): Promise<boolean> {
    return insertUnlessDuplicate(this.leases, record);
  }

  findByKey(key: string): Promise<SeatLeaseRecord | null> {
    return this.leases.findById(key).lean<SeatLeaseRecord>().exec();
  }

  /**
   * The occupied slots of a site: the careful path only. One index range on
   * MongoDB; a collection scan on the local server, whose non-unique indexes
   * answer no queries (docs/adr/0004).
   */
  async usedSlots(siteId: string): Promise<number[]> {
    const rows = await this.leases
      .find({ siteId }, { slot: 1, _id: 0 })
      .lean<Array<{ slot: number }>>()
      .exec();
    return rows.map((row) => row.slot);
  }

  /** A site's leases by slot, after `afterSlot`, at most `limit` (housekeeping: a scan on the local server). */
  listBySite(
    siteId: string,
    page: { afterSlot?: number; limit?: number } = {},
  ): Promise<SeatLeaseRecord[]> {
    const query = this.leases
      .find({ siteId, ...(page.afterSlot === undefined ? {} : { slot: { $gt: page.afterSlot } }) })
      .sort({ slot: 1 });
    if (page.limit !== undefined) query.limit(page.limit);
    return query.lean<SeatLeaseRecord[]>().exec();
  }

  count(siteId: string): Promise<number> {
    return countMatching(this.leases, { siteId });
  }

  async countBySite(siteIds: string[]): Promise<Map<string, number>> {
    const counts = await Promise.all(
      siteIds.map(async (id) => [id, await this.count(id)] as const),
    );
    return new Map(counts);
  }

  /** Deletes one lease; true only for the caller whose delete removed it. */
  async deleteByKey(key: string): Promise<boolean> {
    const result = await this.leases.deleteOne({ _id: key }).exec();
    return result.deletedCount === 1;
  }
}
