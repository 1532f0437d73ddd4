import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { insertUnlessDuplicate, MONGO_CONNECTION } from '@warden/platform';
import type { Connection, Model } from 'mongoose';
import { LoginAttemptModel, type LoginAttemptRecord, type LoginStage } from './login-attempt.model';

export type { LoginAttemptRecord } from './login-attempt.model';

@Injectable()
export class LoginAttemptRepository implements OnModuleInit {
  private readonly attempts: Model<LoginAttemptRecord>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.attempts = LoginAttemptModel.on(connection);
  }

  async onModuleInit(): Promise<void> {
    await this.attempts.createIndexes();
  }

  /** Ids are 256 random bits: a duplicate is a bug, not a race. */
  async insert(record: LoginAttemptRecord): Promise<void> {
    if (!(await insertUnlessDuplicate(this.attempts, record))) throw new Error('duplicate id');
  }

  /**
   * Takes the one try of a step: moves the attempt from `from` to `to` if it
   * is there and alive, and returns it as it was; null when it is not.
   */
  claim(id: string, from: LoginStage, to: LoginStage): Promise<LoginAttemptRecord | null> {
    return this.attempts
      .findOneAndUpdate(
        { _id: id, stage: from, expiresAt: { $gt: new Date() } },
        { $set: { stage: to } },
        { returnDocument: 'before' },
      )
      .lean<LoginAttemptRecord>()
      .exec();
  }

  async advance(id: string, from: LoginStage, to: LoginStage): Promise<void> {
    await this.attempts.updateOne({ _id: id, stage: from }, { $set: { stage: to } });
  }

  /** Attempts past their life (no TTL index locally, DESIGN §9): swept by a timer. */
  async deleteExpired(before: Date): Promise<number> {
    return (await this.attempts.deleteMany({ expiresAt: { $lt: before } })).deletedCount;
  }
}
