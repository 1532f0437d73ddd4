import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { insertUnlessDuplicate, MONGO_CONNECTION } from '@warden/platform';
import type { Connection, Model } from 'mongoose';
import { type KeycodeDocument, keycodeSchema, type SiteDocument, siteSchema } from './site.schema';

export type SiteRecord = SiteDocument;
export type SiteChanges = Partial<
  Pick<
    SiteRecord,
    'name' | 'comment' | 'seats' | 'slotRange' | 'enforcement' | 'reportRecipients' | 'keycode'
  >
>;

@Injectable()
export class SiteRepository implements OnModuleInit {
  private readonly sites: Model<SiteDocument>;
  private readonly keycodes: Model<KeycodeDocument>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.sites = connection.model<SiteDocument>('Site', siteSchema);
    this.keycodes = connection.model<KeycodeDocument>('Keycode', keycodeSchema);
  }

  async onModuleInit(): Promise<void> {
    await Promise.all([this.sites.createIndexes(), this.keycodes.createIndexes()]);
  }

  /** False when a site with the same creation key (or keycode) exists already. */
  insert(record: SiteRecord): Promise<boolean> {
    return insertUnlessDuplicate(this.sites, record);
  }

  findById(id: string): Promise<SiteRecord | null> {
    return this.sites.findById(id).lean<SiteRecord>().exec();
  }

  findByCreationKey(key: string): Promise<SiteRecord | null> {
    return this.sites.findOne({ creationKey: key }).lean<SiteRecord>().exec();
  }

  findByKeycode(keycode: string): Promise<SiteRecord | null> {
    return this.sites.findOne({ keycode }).lean<SiteRecord>().exec();
  }

  listByConsole(consoleId: string): Promise<SiteRecord[]> {
    return this.sites.find({ consoleId }).sort({ _id: 1 }).lean<SiteRecord[]>().exec();
  }

  /**
   * Sets fields if the site still matches `expected` (a compare-and-set, e.g.
   * on the keycode being rotated). Returns the new record, or null if nothing matched.
   */
  async update(
    id: string,
    changes: SiteChanges,
    expected: Partial<Pick<SiteRecord, 'keycode'>> = {},
  ): Promise<SiteRecord | null> {
    const result = await this.sites
      .updateOne({ _id: id, ...expected }, { $set: { ...changes, updatedAt: new Date() } })
      .exec();
    return result.matchedCount === 0 ? null : this.findById(id);
  }

  /** Reserves a keycode forever; false if it was ever issued before. */
  reserveKeycode(keycode: string, siteId: string, consoleId: string): Promise<boolean> {
    const reservation: KeycodeDocument = {
      _id: keycode,
      siteId,
      consoleId,
      state: 'active',
      issuedAt: new Date(),
    };
    return insertUnlessDuplicate(this.keycodes, reservation);
  }

  /** Widens the slot range (never narrows it): done before a lease may go beyond seats. */
  async raiseSlotRange(siteId: string, atLeast: number): Promise<void> {
    await this.sites
      .updateOne(
        { _id: siteId, $or: [{ slotRange: { $lt: atLeast } }, { slotRange: { $exists: false } }] },
        { $set: { slotRange: atLeast } },
      )
      .exec();
  }

  async retireKeycode(keycode: string): Promise<void> {
    await this.keycodes.updateOne({ _id: keycode }, { $set: { state: 'retired' } }).exec();
  }
}
