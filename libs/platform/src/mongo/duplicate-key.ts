/**
 * True for MongoDB's E11000 (a unique index refused the write). Invariants are
 * held by unique indexes (DESIGN §6), so this is an expected outcome, not a
 * failure: the caller decides what "taken" means.
 */
export function isDuplicateKeyError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 11000 || code === 11001;
}
