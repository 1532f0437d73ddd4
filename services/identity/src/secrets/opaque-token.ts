import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** 256 random bits in base64url (43 characters): links, login and setup ids, refresh secrets. */
export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * How a token is stored and looked up: SHA-256, base64url. Tokens carry 256
 * random bits, so a fast hash is enough; a database dump holds no usable link.
 */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}

export function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

// No 0/O, 1/l/I: read off an e-mail and typed by hand.
const READABLE = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';

/** Random text from an alphabet without look-alike characters. */
export function readableSecret(length: number, alphabet = READABLE): string {
  let text = '';
  for (let i = 0; i < length; i++) text += alphabet[randomInt(alphabet.length)];
  return text;
}

/**
 * A temporary password that meets the password rules itself (≥ 6 letters,
 * ≥ 3 digits), so a user may even keep it typed as is in the form.
 */
export function temporaryPassword(): string {
  const letters = readableSecret(8, READABLE.replace(/[0-9]/g, ''));
  const digits = readableSecret(4, '23456789');
  return `${letters.slice(0, 4)}-${digits}-${letters.slice(4)}`;
}
