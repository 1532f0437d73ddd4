import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { insertUnlessDuplicate, isDuplicateKeyError, MONGO_CONNECTION } from '@warden/platform';
import type { Connection, Model } from 'mongoose';
import { PolicyModel, type PolicyRecord } from './policy.model';

export type { PolicyRecord } from './policy.model';
export type PolicyChanges = Partial<
  Pick<PolicyRecord, 'name' | 'nameLower' | 'description' | 'settings'>
>;

export type UpdateOutcome =
  | { readonly kind: 'updated'; readonly before: PolicyRecord; readonly after: PolicyRecord }
  | { readonly kind: 'stale' }
  | { readonly kind: 'name_taken' };

/** Every query names the console first: another console's policy is never found. */
@Injectable()
export class PolicyRepository implements OnModuleInit {
  private readonly policies: Model<PolicyRecord>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.policies = PolicyModel.on(connection);
  }

  async onModuleInit(): Promise<void> {
    await this.policies.createIndexes();
  }

  /** False when the console has a policy with this name (any case) or this idempotency key. */
  insert(record: PolicyRecord): Promise<boolean> {
    return insertUnlessDuplicate(this.policies, record);
  }

  findInConsole(consoleId: string, id: string): Promise<PolicyRecord | null> {
    return this.policies.findOne({ _id: id, consoleId }).lean<PolicyRecord>().exec();
  }

  findByIdempotencyKey(consoleId: string, key: string): Promise<PolicyRecord | null> {
    return this.policies.findOne({ consoleId, idempotencyKey: key }).lean<PolicyRecord>().exec();
  }

  /** The console's policies by name, case-insensitively. */
  listByConsole(consoleId: string): Promise<PolicyRecord[]> {
    return this.policies
      .find({ consoleId })
      .sort({ nameLower: 1, _id: 1 })
      .lean<PolicyRecord[]>()
      .exec();
  }

  /** The console's policies' ids and names only. */
  namesByConsole(consoleId: string): Promise<Pick<PolicyRecord, '_id' | 'name'>[]> {
    return this.policies
      .find({ consoleId }, { name: 1 })
      .lean<Pick<PolicyRecord, '_id' | 'name'>[]>()
      .exec();
  }

  /**
   * Applies `changes` and adds one to the version in one atomic write, if the
   * policy is still at `expectedVersion` (compare-and-set). `stale` when it
   * is not (or is gone); `name_taken` when the unique name index refused it.
   */
  async update(
    consoleId: string,
    id: string,
    expectedVersion: number,
    changes: PolicyChanges,
    updatedAt: Date,
  ): Promise<UpdateOutcome> {
    try {
      const before = await this.policies
        .findOneAndUpdate(
          { _id: id, consoleId, version: expectedVersion },
          { $set: { ...changes, updatedAt }, $inc: { version: 1 } },
          { returnDocument: 'before' },
        )
        .lean<PolicyRecord>()
        .exec();
      if (!before) return { kind: 'stale' };
      return {
        kind: 'updated',
        before,
        after: { ...before, ...changes, version: before.version + 1, updatedAt },
      };
    } catch (error) {
      if (isDuplicateKeyError(error)) return { kind: 'name_taken' };
      throw error;
    }
  }

  /** The deleted policy, or null if there was none. */
  delete(consoleId: string, id: string): Promise<PolicyRecord | null> {
    return this.policies.findOneAndDelete({ _id: id, consoleId }).lean<PolicyRecord>().exec();
  }
}
