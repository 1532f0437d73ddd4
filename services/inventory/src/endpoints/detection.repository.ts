import { Inject, Injectable } from '@nestjs/common';
import { isDuplicateKeyError, MONGO_CONNECTION } from '@warden/platform';
import type { Connection, Model } from 'mongoose';
import { DetectionModel, type DetectionRecord } from './detection.model';

/** Detections by their derived `_id` only: no other index is needed. */
@Injectable()
export class DetectionRepository {
  private readonly detections: Model<DetectionRecord>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.detections = DetectionModel.on(connection);
  }

  /** Detections of a site received since `since`, per threat name (housekeeping: a scan). */
  async threatsSince(
    siteId: string,
    since: Date,
  ): Promise<{ threatName: string; count: number }[]> {
    const rows = await this.detections
      .aggregate<{ _id: string; n: number }>([
        { $match: { siteId, receivedAt: { $gte: since } } },
        { $group: { _id: '$threatName', n: { $sum: 1 } } },
      ])
      .exec();
    return rows.map((row) => ({ threatName: row._id, count: row.n }));
  }

  /**
   * Inserts each detection unless its `_id` is stored already, in one
   * unordered write; the ids actually inserted (the others were repeats).
   */
  async insertNew(records: readonly DetectionRecord[]): Promise<Set<string>> {
    const inserted = new Set(records.map((record) => record._id));
    try {
      await this.detections.collection.insertMany(
        records as unknown as Parameters<Model<DetectionRecord>['collection']['insertMany']>[0],
        { ordered: false },
      );
    } catch (error) {
      const writeErrors = duplicateIndexes(error);
      if (!writeErrors) throw error;
      for (const index of writeErrors) inserted.delete(records[index]!._id);
    }
    return inserted;
  }
}

/**
 * The positions refused as duplicates (`MongoBulkWriteError.writeErrors`,
 * one per refused document), or null if anything else went wrong.
 */
function duplicateIndexes(error: unknown): number[] | null {
  if (!isDuplicateKeyError(error)) return null;
  const writeErrors = [(error as { writeErrors?: unknown }).writeErrors].flat() as (
    { code?: number; index?: number } | undefined
  )[];
  const indexes: number[] = [];
  for (const writeError of writeErrors) {
    if (writeError?.code !== 11000 || writeError.index === undefined) return null;
    indexes.push(writeError.index);
  }
  return indexes.length > 0 ? indexes : null;
}
