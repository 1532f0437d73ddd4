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

/** Inserts; false when a unique index refused the document. Any other error is thrown. */
export async function insertUnlessDuplicate<T>(model: Model<T>, document: T): Promise<boolean> {
  try {
    await model.create(document);
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}
