import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { insertUnlessDuplicate, isDuplicateKeyError, MONGO_CONNECTION } from '@warden/platform';
import type { Connection, FilterQuery, Model, UpdateQuery } from 'mongoose';
import { AdministratorModel, type AdministratorRecord } from './administrator.model';

export type { AdministratorRecord } from './administrator.model';

/**
 * Administrators. Console-facing reads take the console id first (from the
 * caller's token): another console's administrator reads as absent. Sign-in
 * looks accounts up by login id, before anyone's console is known.
 * Every change is one atomic write, conditional on what it replaces.
 */
@Injectable()
export class AdministratorRepository implements OnModuleInit {
  private readonly admins: Model<AdministratorRecord>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.admins = AdministratorModel.on(connection);
  }

  async onModuleInit(): Promise<void> {
    await this.admins.createIndexes();
  }

  /** 'taken' when the e-mail (or phone) already belongs to an administrator. */
  async insert(record: AdministratorRecord): Promise<'inserted' | 'taken'> {
    return (await insertUnlessDuplicate(this.admins, record)) ? 'inserted' : 'taken';
  }

  findInConsole(consoleId: string, id: string): Promise<AdministratorRecord | null> {
    return this.admins.findOne({ _id: id, consoleId }).lean<AdministratorRecord>().exec();
  }

  listInConsole(consoleId: string): Promise<AdministratorRecord[]> {
    return this.admins.find({ consoleId }).sort({ _id: 1 }).lean<AdministratorRecord[]>().exec();
  }

  /** A page of a console's administrators by id; `locked` and `active` are told apart by `lockedUntil`. */
  pageInConsole(
    consoleId: string,
    options: { state?: string; after?: string; limit: number; now: Date },
  ): Promise<AdministratorRecord[]> {
    const query: FilterQuery<AdministratorRecord> = { consoleId };
    if (options.state === 'locked') {
      Object.assign(query, { state: 'active', lockedUntil: { $gt: options.now } });
    } else if (options.state === 'active') {
      Object.assign(query, {
        state: 'active',
        $or: [{ lockedUntil: null }, { lockedUntil: { $lte: options.now } }],
      });
    } else if (options.state) {
      query.state = options.state;
    }
    if (options.after) query._id = { $gt: options.after };
    return this.admins
      .find(query)
      .sort({ _id: 1 })
      .limit(options.limit)
      .lean<AdministratorRecord[]>()
      .exec();
  }

  async deleteInConsole(consoleId: string, id: string): Promise<boolean> {
    return (await this.admins.deleteOne({ _id: id, consoleId })).deletedCount === 1;
  }

  /** The administrator a keyed addition made, found by its idempotency key. */
  findByCreationKey(consoleId: string, key: string): Promise<AdministratorRecord | null> {
    return this.admins.findOne({ consoleId, creationKey: key }).lean<AdministratorRecord>().exec();
  }

  /** Sign-in and activation: by id, before a console is known from a token. */
  findById(id: string): Promise<AdministratorRecord | null> {
    return this.admins.findById(id).lean<AdministratorRecord>().exec();
  }

  findByEmail(emailLower: string): Promise<AdministratorRecord | null> {
    return this.admins.findOne({ emailLower }).lean<AdministratorRecord>().exec();
  }

  findByPhone(phoneDigits: string): Promise<AdministratorRecord | null> {
    return this.admins.findOne({ phoneDigits }).lean<AdministratorRecord>().exec();
  }

  /**
   * One atomic write if the administrator still matches `expected`: returns
   * the record as it was just before, or null when it no longer matched.
   */
  compareAndSet(
    id: string,
    expected: FilterQuery<AdministratorRecord>,
    update: UpdateQuery<AdministratorRecord>,
  ): Promise<AdministratorRecord | null> {
    return this.admins
      .findOneAndUpdate({ ...expected, _id: id }, update, { returnDocument: 'before' })
      .lean<AdministratorRecord>()
      .exec();
  }

  /** Counts one failed sign-in step; returns the count before it (null: no such account). */
  async countFailure(id: string): Promise<number | null> {
    const before = await this.compareAndSet(id, {}, { $inc: { failedAttempts: 1 } });
    return before ? before.failedAttempts : null;
  }

  /** True when some other account holds the phone number. */
  static isTaken(error: unknown): boolean {
    return isDuplicateKeyError(error);
  }
}
