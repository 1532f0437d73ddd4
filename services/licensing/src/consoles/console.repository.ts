import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { insertUnlessDuplicate, MONGO_CONNECTION } from '@warden/platform';
import type { Connection, FilterQuery, Model } from 'mongoose';
import { ConsoleModel, type ConsoleRecord } from './console.model';

export type { ConsoleRecord } from './console.model';
export type ConsoleChanges = Partial<
  Pick<
    ConsoleRecord,
    'status' | 'kind' | 'trialEndsAt' | 'name' | 'language' | 'notSeenThresholdHours'
  >
>;

/** Retries of one extension come within minutes; far fewer extensions than this happen meanwhile. */
const TRIAL_EXTENSION_KEYS_KEPT = 20;

@Injectable()
export class ConsoleRepository implements OnModuleInit {
  private readonly consoles: Model<ConsoleRecord>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.consoles = ConsoleModel.on(connection);
  }

  async onModuleInit(): Promise<void> {
    await this.consoles.createIndexes();
  }

  /** False when a console with the same idempotency key exists already. */
  insert(record: ConsoleRecord): Promise<boolean> {
    return insertUnlessDuplicate(this.consoles, record);
  }

  findById(id: string): Promise<ConsoleRecord | null> {
    return this.consoles.findById(id).lean<ConsoleRecord>().exec();
  }

  findByIds(ids: readonly string[]): Promise<ConsoleRecord[]> {
    return this.consoles
      .find({ _id: { $in: ids } })
      .lean<ConsoleRecord[]>()
      .exec();
  }

  findByIdempotencyKey(key: string): Promise<ConsoleRecord | null> {
    return this.consoles.findOne({ idempotencyKey: key }).lean<ConsoleRecord>().exec();
  }

  async list(filter: {
    status?: ConsoleRecord['status'];
    kind?: ConsoleRecord['kind'];
    name?: string;
    after?: string;
    limit: number;
  }): Promise<ConsoleRecord[]> {
    const query: FilterQuery<ConsoleRecord> = {};
    if (filter.status) query.status = filter.status;
    if (filter.kind) query.kind = filter.kind;
    if (filter.name) query.name = { $regex: escapeRegex(filter.name), $options: 'i' };
    if (filter.after) query._id = { $gt: filter.after };
    return this.consoles
      .find(query)
      .sort({ _id: 1 })
      .limit(filter.limit)
      .lean<ConsoleRecord[]>()
      .exec();
  }

  /**
   * Sets fields in one atomic write if the console still holds `expected`
   * (a compare-and-set on the values the change replaces). Returns the record
   * just before and just after this write, or null if no console matched.
   */
  async update(
    id: string,
    changes: ConsoleChanges,
    expected: ConsoleChanges,
    updatedAt = new Date(),
  ): Promise<{ before: ConsoleRecord; after: ConsoleRecord } | null> {
    // 'before' is an exact copy on both servers; the local one may serialise an
    // 'after' that already holds later writes (docs/adr/0004).
    const before = await this.consoles
      .findOneAndUpdate(
        { _id: id, ...expected },
        { $set: { ...changes, updatedAt } },
        { returnDocument: 'before' },
      )
      .lean<ConsoleRecord>()
      .exec();
    return before && { before, after: { ...before, ...changes, updatedAt } };
  }

  /**
   * Moves a trial's end, in one atomic write, if the console is still a
   * trial ending at `expectedEnd` and has not seen `key` yet; the key is
   * remembered in the same write. Null when any of that no longer holds.
   */
  async extendTrial(
    id: string,
    extension: { expectedEnd: Date | null; trialEndsAt: Date; key: string; updatedAt: Date },
  ): Promise<{ before: ConsoleRecord; after: ConsoleRecord } | null> {
    const before = await this.consoles
      .findOneAndUpdate(
        {
          _id: id,
          kind: 'trial',
          trialEndsAt: extension.expectedEnd,
          trialExtensionKeys: { $ne: extension.key },
        },
        {
          $set: { trialEndsAt: extension.trialEndsAt, updatedAt: extension.updatedAt },
          $push: {
            trialExtensionKeys: { $each: [extension.key], $slice: -TRIAL_EXTENSION_KEYS_KEPT },
          },
        },
        { returnDocument: 'before' },
      )
      .lean<ConsoleRecord>()
      .exec();
    if (!before) return null;
    const trialExtensionKeys = [...(before.trialExtensionKeys ?? []), extension.key].slice(
      -TRIAL_EXTENSION_KEYS_KEPT,
    );
    return {
      before,
      after: {
        ...before,
        trialEndsAt: extension.trialEndsAt,
        updatedAt: extension.updatedAt,
        trialExtensionKeys,
      },
    };
  }
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
