import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { insertUnlessDuplicate, MONGO_CONNECTION } from '@warden/platform';
import type { Connection, FilterQuery, Model } from 'mongoose';
import { type ConsoleDocument, consoleSchema } from './console.schema';

export type ConsoleRecord = ConsoleDocument;

@Injectable()
export class ConsoleRepository implements OnModuleInit {
  private readonly consoles: Model<ConsoleDocument>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.consoles = connection.model<ConsoleDocument>('Console', consoleSchema);
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
    const query: FilterQuery<ConsoleDocument> = {};
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

  /** Sets fields and returns the new record; null if no console has that id. */
  async update(
    id: string,
    changes: Partial<Pick<ConsoleRecord, 'status' | 'kind' | 'trialEndsAt'>>,
  ): Promise<ConsoleRecord | null> {
    const updatedAt = new Date();
    // 'before' is an exact copy on both servers; the local one may serialise an
    // 'after' that already holds later writes (docs/adr/0004).
    const before = await this.consoles
      .findOneAndUpdate(
        { _id: id },
        { $set: { ...changes, updatedAt } },
        { returnDocument: 'before' },
      )
      .lean<ConsoleRecord>()
      .exec();
    return before && { ...before, ...changes, updatedAt };
  }
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
