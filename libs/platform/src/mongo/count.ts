import type { FilterQuery, Model } from 'mongoose';

/**
 * The number of documents matching `filter`, by the server's `count` command.
 *
 * Exact on an unsharded collection (ours are), and cheaper than
 * `countDocuments`, which the driver runs as a `$match` + `$group`
 * aggregation: measured on the local server, the count command makes a whole
 * site read (gateway → NATS → licensing) about a fifth faster.
 */
export async function countMatching<T>(model: Model<T>, filter: FilterQuery<T>): Promise<number> {
  const db = model.db.db;
  if (!db) throw new Error(`not connected: cannot count ${model.collection.collectionName}`);
  const reply = await db.command({ count: model.collection.collectionName, query: filter });
  return Number(reply['n']);
}
