import { defineModel, type RecordOf } from '@warden/platform';

/**
 * One occupied seat. The unique (siteId, slot) index is the seat invariant:
 * in `hard` mode slots are drawn from [0, seats), so no more leases than seats
 * can exist, whatever the concurrency. The unique (siteId, hardwareKey) index
 * makes a re-install or a retried claim find the same lease (docs/adr/0003).
 */
export const SeatLeaseModel = defineModel(
  'SeatLease',
  'seat_leases',
  {
    /** leaseKey(siteId, hardwareKey): one lease per device and site, found by `_id`. */
    _id: { type: String, required: true },
    siteId: { type: String, required: true },
    consoleId: { type: String, required: true },
    hardwareKey: { type: String, required: true },
    slot: { type: Number, required: true },
    claimedAt: { type: Date, required: true },
  },
  (schema) => {
    schema.index({ siteId: 1, slot: 1 }, { unique: true });
    schema.index({ siteId: 1, hardwareKey: 1 }, { unique: true });
    schema.index({ consoleId: 1 });
  },
);
export type SeatLeaseRecord = RecordOf<typeof SeatLeaseModel>;
