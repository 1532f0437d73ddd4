import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { MONGO_CONNECTION } from '@warden/platform';
import type { Connection, Model } from 'mongoose';
import { type SeatLeaseDocument, seatLeaseSchema } from './seat-lease.schema';

export type SeatLeaseRecord = SeatLeaseDocument;

@Injectable()
export class SeatLeaseRepository implements OnModuleInit {
  private readonly leases: Model<SeatLeaseDocument>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.leases = connection.model<SeatLeaseDocument>('SeatLease', seatLeaseSchema);
  }

  async onModuleInit(): Promise<void> {
    await this.leases.createIndexes();
  }

  /** Inserts; E11000 means the slot or the device already has a lease. */
  async insert(record: SeatLeaseRecord): Promise<void> {
    await this.leases.create(record);
  }

  findByDevice(siteId: string, hardwareKey: string): Promise<SeatLeaseRecord | null> {
    return this.leases.findOne({ siteId, hardwareKey }).lean<SeatLeaseRecord>().exec();
  }

  /** The occupied slots of a site. */
  async usedSlots(siteId: string): Promise<number[]> {
    const rows = await this.leases
      .find({ siteId }, { slot: 1, _id: 0 })
      .lean<Array<{ slot: number }>>()
      .exec();
    return rows.map((row) => row.slot);
  }

  count(siteId: string): Promise<number> {
    return this.leases.countDocuments({ siteId }).exec();
  }

  async countBySite(siteIds: string[]): Promise<Map<string, number>> {
    const counts = await Promise.all(
      siteIds.map(async (id) => [id, await this.count(id)] as const),
    );
    return new Map(counts);
  }

  async deleteById(id: string): Promise<boolean> {
    const result = await this.leases.deleteOne({ _id: id }).exec();
    return result.deletedCount === 1;
  }

  async deleteByDevice(siteId: string, hardwareKey: string): Promise<SeatLeaseRecord | null> {
    const lease = await this.findByDevice(siteId, hardwareKey);
    if (!lease) return null;
    // Delete by id: if a concurrent release already removed it, only one caller reports it.
    return (await this.deleteById(lease._id)) ? lease : null;
  }
}
