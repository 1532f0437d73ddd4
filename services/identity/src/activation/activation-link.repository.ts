import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { insertUnlessDuplicate, MONGO_CONNECTION } from '@warden/platform';
import type { Connection, Model } from 'mongoose';
import { ActivationLinkModel, type ActivationLinkRecord } from './activation-link.model';

export type { ActivationLinkRecord } from './activation-link.model';

@Injectable()
export class ActivationLinkRepository implements OnModuleInit {
  private readonly links: Model<ActivationLinkRecord>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.links = ActivationLinkModel.on(connection);
  }

  async onModuleInit(): Promise<void> {
    await this.links.createIndexes();
  }

  /** Ids are random (256 bits or a UUID v7): a duplicate is a bug, not a race. */
  async insert(record: ActivationLinkRecord): Promise<void> {
    if (!(await insertUnlessDuplicate(this.links, record))) throw new Error('duplicate id');
  }

  findById(id: string): Promise<ActivationLinkRecord | null> {
    return this.links.findById(id).lean<ActivationLinkRecord>().exec();
  }

  /** Moves an open link to another state; false when it was not open any more. */
  async close(id: string, state: 'used' | 'replaced' | 'locked'): Promise<boolean> {
    const result = await this.links.updateOne({ _id: id, state: 'open' }, { $set: { state } });
    return result.modifiedCount === 1;
  }

  /** Counts a wrong temporary password; returns the count before it. */
  async countFailure(id: string): Promise<number> {
    const before = await this.links
      .findOneAndUpdate({ _id: id }, { $inc: { failedAttempts: 1 } }, { returnDocument: 'before' })
      .lean<ActivationLinkRecord>()
      .exec();
    return before?.failedAttempts ?? 0;
  }

  async markMailQueued(id: string, at: Date): Promise<void> {
    await this.links.updateOne({ _id: id }, { $set: { mailQueuedAt: at } });
  }
}
