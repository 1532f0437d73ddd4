import { Inject, Injectable } from '@nestjs/common';
import {
  defineModel,
  insertUnlessDuplicate,
  MONGO_CONNECTION,
  type RecordOf,
} from '@warden/platform';
import type { Connection, Model } from 'mongoose';

/**
 * Seat claims the reconciliation was refused (a full `hard` site, a
 * suspended console), one per site and device, so the refusal is audited
 * once rather than at every run while it lasts. Removed when a later claim
 * for the device succeeds.
 */
export const ClaimRefusalModel = defineModel('ClaimRefusal', 'seat_claim_refusals', {
  /** `<siteId>:<hardwareKey>`. */
  _id: { type: String, required: true },
  code: { type: String, required: true },
  refusedAt: { type: Date, required: true },
});
export type ClaimRefusalRecord = RecordOf<typeof ClaimRefusalModel>;

const keyOf = (siteId: string, hardwareKey: string) => `${siteId}:${hardwareKey}`;

@Injectable()
export class ClaimRefusals {
  private readonly refusals: Model<ClaimRefusalRecord>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.refusals = ClaimRefusalModel.on(connection);
  }

  /** True the first time this device's claim at this site is refused (since its last success). */
  recordFirst(siteId: string, hardwareKey: string, code: string, at: Date): Promise<boolean> {
    return insertUnlessDuplicate(this.refusals, {
      _id: keyOf(siteId, hardwareKey),
      code,
      refusedAt: at,
    });
  }

  async forget(siteId: string, hardwareKey: string): Promise<void> {
    await this.refusals.deleteOne({ _id: keyOf(siteId, hardwareKey) }).exec();
  }
}
