import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { insertUnlessDuplicate, MONGO_CONNECTION } from '@warden/platform';
import type { Connection, Model } from 'mongoose';
import { KeycodeModel, type KeycodeRecord, SiteModel, type SiteRecord } from './site.model';

export type { SiteRecord } from './site.model';
export type SiteChanges = Partial<
  Pick<
    SiteRecord,
    | 'name'
    | 'comment'
    | 'seats'
    | 'slotRange'
    | 'enforcement'
    | 'reportRecipients'
    | 'keycode'
    | 'defaultPolicyId'
  >
>;

@Injectable()
export class SiteRepository implements OnModuleInit {
  private readonly sites: Model<SiteRecord>;
  private readonly keycodes: Model<KeycodeRecord>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.sites = SiteModel.on(connection);
    this.keycodes = KeycodeModel.on(connection);
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

  /** The console's site with this id; another console's site reads as none. */
  findInConsole(consoleId: string, id: string): Promise<SiteRecord | null> {
    return this.sites.findOne({ _id: id, consoleId }).lean<SiteRecord>().exec();
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

  /** The console's sites whose default endpoint policy is `policyId`. */
  listByDefaultPolicy(consoleId: string, policyId: string): Promise<SiteRecord[]> {
    return this.sites
      .find({ consoleId, defaultPolicyId: policyId })
      .sort({ _id: 1 })
      .lean<SiteRecord[]>()
      .exec();
  }

  /**
   * Applies `changes` in one atomic single-document update, if the site still
   * matches `expected` (a compare-and-set, e.g. on the keycode being rotated or
   * the seats being lowered). `atLeast` raises numeric fields in the same
   * update (never lowers them). Returns the document just before and just
   * after this update — exact even under concurrent changes to other fields —
   * or null if no site matched.
   */
  async applyChanges(
    id: string,
    changes: SiteChanges,
    options: {
      expected?: Partial<Pick<SiteRecord, 'keycode' | 'seats' | 'consoleId' | 'defaultPolicyId'>>;
      atLeast?: Partial<Pick<SiteRecord, 'slotRange'>>;
    } = {},
  ): Promise<{ before: SiteRecord; after: SiteRecord } | null> {
    const updatedAt = new Date();
    const before = await this.sites
      .findOneAndUpdate(
        { _id: id, ...options.expected },
        { $set: { ...changes, updatedAt }, ...(options.atLeast ? { $max: options.atLeast } : {}) },
        { returnDocument: 'before' },
      )
      .lean<SiteRecord>()
      .exec();
    if (!before) return null;
    const after: SiteRecord = { ...before, ...changes, updatedAt };
    if (options.atLeast?.slotRange !== undefined) {
      after.slotRange = Math.max(before.slotRange ?? 0, options.atLeast.slotRange);
    }
    return { before, after };
  }

  /**
   * Reserves a keycode forever (`reserved` until a site holds it); false if it
   * was ever issued before, or if a keycode already carries this rotation key.
   */
  reserveKeycode(
    keycode: string,
    siteId: string,
    consoleId: string,
    rotation?: { rotationKey: string; replaces: string },
  ): Promise<boolean> {
    const reservation: KeycodeRecord = {
      _id: keycode,
      siteId,
      consoleId,
      state: 'reserved',
      ...rotation,
      issuedAt: new Date(),
    };
    return insertUnlessDuplicate(this.keycodes, reservation);
  }

  /** The keycode drawn by the rotation with this `<siteId>:<Idempotency-Key>`, if any. */
  findRotation(rotationKey: string): Promise<KeycodeRecord | null> {
    return this.keycodes.findOne({ rotationKey }).lean<KeycodeRecord>().exec();
  }

  /** Marks a reserved keycode as the one its site now holds. */
  async activateKeycode(keycode: string): Promise<void> {
    await this.keycodes
      .updateOne({ _id: keycode, state: 'reserved' }, { $set: { state: 'active' } })
      .exec();
  }

  keycodeState(keycode: string): Promise<KeycodeRecord | null> {
    return this.keycodes.findById(keycode).lean<KeycodeRecord>().exec();
  }

  /**
   * Widens the slot range (never narrows it): done before a lease may go
   * beyond seats. Stamps `slotRangeRaisedAt` every time, even when the range
   * already reached, so lowering it waits for this claim (`lowerSlotRange`).
   */
  async raiseSlotRange(siteId: string, atLeast: number): Promise<void> {
    await this.sites
      .updateOne(
        { _id: siteId },
        { $max: { slotRange: atLeast }, $set: { slotRangeRaisedAt: new Date() } },
      )
      .exec();
  }

  /**
   * Lowers the slot range to `to` if the site is still exactly as it was read
   * (seats, slot range and both change stamps): a compare-and-set; false if
   * anything changed meanwhile.
   */
  async lowerSlotRange(site: SiteRecord, to: number): Promise<boolean> {
    const result = await this.sites
      .updateOne(
        {
          _id: site._id,
          seats: site.seats,
          slotRange: site.slotRange,
          updatedAt: site.updatedAt,
          slotRangeRaisedAt: site.slotRangeRaisedAt ?? null,
        },
        { $set: { slotRange: to } },
      )
      .exec();
    return result.modifiedCount === 1;
  }

  /** A page of every site (of one console, or of all), by id. */
  page(options: {
    consoleId: string | null;
    after?: string;
    limit: number;
  }): Promise<SiteRecord[]> {
    return this.sites
      .find({
        ...(options.consoleId === null ? {} : { consoleId: options.consoleId }),
        ...(options.after === undefined ? {} : { _id: { $gt: options.after } }),
      })
      .sort({ _id: 1 })
      .limit(options.limit)
      .lean<SiteRecord[]>()
      .exec();
  }

  async retireKeycode(keycode: string): Promise<void> {
    await this.keycodes.updateOne({ _id: keycode }, { $set: { state: 'retired' } }).exec();
  }
}
