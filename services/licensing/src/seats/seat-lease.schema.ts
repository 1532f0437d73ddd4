import { Schema } from 'mongoose';

/**
 * One occupied seat. The unique (siteId, slot) index is the seat invariant:
 * in `hard` mode slots are drawn from [0, seats), so no more leases than seats
 * can exist, whatever the concurrency. The unique (siteId, hardwareKey) index
 * makes a re-install or a retried claim find the same lease.
 */
export interface SeatLeaseDocument {
  /** leaseKey(siteId, hardwareKey): one lease per device and site, found by `_id`. */
  _id: string;
  siteId: string;
  consoleId: string;
  hardwareKey: string;
  slot: number;
  claimedAt: Date;
}

export const seatLeaseSchema = new Schema<SeatLeaseDocument>(
  {
    _id: { type: String, required: true },
    siteId: { type: String, required: true },
    consoleId: { type: String, required: true },
    hardwareKey: { type: String, required: true },
    slot: { type: Number, required: true },
    claimedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'seat_leases' },
);
seatLeaseSchema.index({ siteId: 1, slot: 1 }, { unique: true });
seatLeaseSchema.index({ siteId: 1, hardwareKey: 1 }, { unique: true });
seatLeaseSchema.index({ consoleId: 1 });
