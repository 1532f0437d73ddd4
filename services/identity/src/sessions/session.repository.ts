import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { insertUnlessDuplicate, MONGO_CONNECTION } from '@warden/platform';
import type { Connection, Model } from 'mongoose';
import { SessionModel, type SessionRecord } from './session.model';

export type { SessionRecord } from './session.model';

/** Rotated secrets remembered per session: far more than any client retries with. */
const ROTATED_KEPT = 50;

@Injectable()
export class SessionRepository implements OnModuleInit {
  private readonly sessions: Model<SessionRecord>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.sessions = SessionModel.on(connection);
  }

  async onModuleInit(): Promise<void> {
    await this.sessions.createIndexes();
  }

  /** Ids are random (256 bits or a UUID v7): a duplicate is a bug, not a race. */
  async insert(record: SessionRecord): Promise<void> {
    if (!(await insertUnlessDuplicate(this.sessions, record))) throw new Error('duplicate id');
  }

  findById(id: string): Promise<SessionRecord | null> {
    return this.sessions.findById(id).lean<SessionRecord>().exec();
  }

  /** Replaces the current secret if it still is `expectedHash`; false when another refresh won. */
  async rotate(id: string, expectedHash: string, nextHash: string, at: Date): Promise<boolean> {
    const result = await this.sessions.updateOne(
      { _id: id, secretHash: expectedHash, revokedAt: null },
      {
        $set: { secretHash: nextHash, lastRefreshedAt: at },
        $inc: { rotations: 1 },
        $push: { rotatedHashes: { $each: [expectedHash], $slice: -ROTATED_KEPT } },
      },
    );
    return result.modifiedCount === 1;
  }

  /** Ends a session of this administrator; false when it was not theirs or had ended. */
  async revoke(
    consoleId: string,
    administratorId: string,
    id: string,
    reason: string,
  ): Promise<boolean> {
    const result = await this.sessions.updateOne(
      { _id: id, consoleId, administratorId, revokedAt: null },
      { $set: { revokedAt: new Date(), revokedReason: reason } },
    );
    return result.modifiedCount === 1;
  }

  /** Ends every session of an administrator (a password reset, a disabled account), but `except`. */
  async revokeAll(administratorId: string, reason: string, except?: string): Promise<number> {
    const result = await this.sessions.updateMany(
      {
        administratorId,
        revokedAt: null,
        ...(except === undefined ? {} : { _id: { $ne: except } }),
      },
      { $set: { revokedAt: new Date(), revokedReason: reason } },
    );
    return result.modifiedCount;
  }
}
