import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Operator tokens are long random secrets, so a plain SHA-256 is enough to
 * keep them out of memory dumps and logs (no password-style stretching needed).
 */
export function hashOperatorToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** A configured hash (`OPS_API_TOKEN_HASHES`): 64 hex characters, or null. */
export function parseOperatorTokenHash(hex: string): Buffer | null {
  return /^[0-9a-fA-F]{64}$/.test(hex) ? Buffer.from(hex, 'hex') : null;
}

export interface Operator {
  /** Short, stable, non-secret id of the token, for audit events. */
  fingerprint: string;
}

/**
 * Compares the presented token with every configured hash in constant time,
 * and always with all of them, so timing says nothing about which or how many
 * tokens exist.
 */
export function verifyOperatorToken(presented: string, hashes: readonly Buffer[]): Operator | null {
  const candidate = hashOperatorToken(presented);
  let match: Buffer | null = null;
  for (const hash of hashes) {
    if (timingSafeEqual(candidate, hash)) match = hash;
  }
  return match ? { fingerprint: `op_${match.toString('hex').slice(0, 12)}` } : null;
}
