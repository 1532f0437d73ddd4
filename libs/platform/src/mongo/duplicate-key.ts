import type { Model } from 'mongoose';

/**
 * True for MongoDB's E11000 (a unique index refused the write). Invariants are
 * held by unique indexes (DESIGN §6), so this is an expected outcome, not a
 * failure: the caller decides what "taken" means.
 */
export function isDuplicateKeyError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 11000 || code === 11001;
}

/**
 * Inserts; false when a unique index refused the document. Any other error is
 * thrown. The document goes to the driver as it is: records are built by
 * typed code, and mongoose's hydrate-validate-save cycle was a tenth of a
 * seat claim's CPU.
 */
export async function insertUnlessDuplicate<T>(model: Model<T>, document: T): Promise<boolean> {
  try {
    await model.collection.insertOne(
      document as Parameters<Model<T>['collection']['insertOne']>[0],
    );
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}
