import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { insertUnlessDuplicate, MONGO_CONNECTION } from '@warden/platform';
import type { Connection, Model } from 'mongoose';
import { TwoFactorSetupModel, type TwoFactorSetupRecord } from './two-factor-setup.model';

export type { TwoFactorSetupRecord } from './two-factor-setup.model';

@Injectable()
export class TwoFactorSetupRepository implements OnModuleInit {
  private readonly setups: Model<TwoFactorSetupRecord>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.setups = TwoFactorSetupModel.on(connection);
  }

  async onModuleInit(): Promise<void> {
    await this.setups.createIndexes();
  }

  /** Ids are 256 random bits: a duplicate is a bug, not a race. */
  async insert(record: TwoFactorSetupRecord): Promise<void> {
    if (!(await insertUnlessDuplicate(this.setups, record))) throw new Error('duplicate id');
  }

  /** The caller's own live setup; another administrator's reads as absent. */
  findLive(
    consoleId: string,
    administratorId: string,
    id: string,
  ): Promise<TwoFactorSetupRecord | null> {
    return this.setups
      .findOne({ _id: id, consoleId, administratorId, expiresAt: { $gt: new Date() } })
      .lean<TwoFactorSetupRecord>()
      .exec();
  }

  async delete(consoleId: string, administratorId: string, id: string): Promise<boolean> {
    const result = await this.setups.deleteOne({ _id: id, consoleId, administratorId });
    return result.deletedCount === 1;
  }

  async deleteExpired(before: Date): Promise<number> {
    return (await this.setups.deleteMany({ expiresAt: { $lt: before } })).deletedCount;
  }
}
