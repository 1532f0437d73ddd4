import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { insertUnlessDuplicate, MONGO_CONNECTION } from '@warden/platform';
import type { Connection, Model } from 'mongoose';
import {
  PasswordResetModel,
  type PasswordResetRecord,
  RecoveryAttemptModel,
  type RecoveryAttemptRecord,
} from './recovery.model';

/** Recovery attempts and the reset links they lead to. */
@Injectable()
export class RecoveryRepository implements OnModuleInit {
  private readonly attempts: Model<RecoveryAttemptRecord>;
  private readonly resets: Model<PasswordResetRecord>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.attempts = RecoveryAttemptModel.on(connection);
    this.resets = PasswordResetModel.on(connection);
  }

  async onModuleInit(): Promise<void> {
    await Promise.all([this.attempts.createIndexes(), this.resets.createIndexes()]);
  }

  async insertAttempt(record: RecoveryAttemptRecord): Promise<void> {
    if (!(await insertUnlessDuplicate(this.attempts, record))) throw new Error('duplicate id');
  }

  /** Takes the one answer of an attempt; null when it was answered, expired or never existed. */
  claimAttempt(id: string): Promise<RecoveryAttemptRecord | null> {
    return this.attempts
      .findOneAndUpdate(
        { _id: id, answered: false, expiresAt: { $gt: new Date() } },
        { $set: { answered: true } },
        { returnDocument: 'before' },
      )
      .lean<RecoveryAttemptRecord>()
      .exec();
  }

  async insertReset(record: PasswordResetRecord): Promise<void> {
    if (!(await insertUnlessDuplicate(this.resets, record))) throw new Error('duplicate id');
  }

  findReset(id: string): Promise<PasswordResetRecord | null> {
    return this.resets.findById(id).lean<PasswordResetRecord>().exec();
  }

  /** Uses a reset link once: true only for the write that found it unused. */
  async useReset(id: string, at: Date): Promise<boolean> {
    const result = await this.resets.updateOne({ _id: id, usedAt: null }, { $set: { usedAt: at } });
    return result.modifiedCount === 1;
  }

  async deleteExpired(before: Date): Promise<number> {
    const [attempts, resets] = await Promise.all([
      this.attempts.deleteMany({ expiresAt: { $lt: before } }),
      this.resets.deleteMany({ expiresAt: { $lt: before } }),
    ]);
    return attempts.deletedCount + resets.deletedCount;
  }
}
