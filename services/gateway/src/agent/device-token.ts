import { createHash, timingSafeEqual } from 'node:crypto';

/** `<deviceId>.<secret>`: a UUID, a dot, 32 random bytes in base64url (43 characters). */
const DEVICE_TOKEN =
  /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\.([A-Za-z0-9_-]{43})$/;

export interface PresentedDeviceToken {
  /** Lower case, as ids are stored. */
  deviceId: string;
  secret: string;
}

/** The two halves of a device token, or null when it cannot be one (no lookup is made for it). */
export function parseDeviceToken(token: string): PresentedDeviceToken | null {
  const match = DEVICE_TOKEN.exec(token);
  return match ? { deviceId: match[1]!.toLowerCase(), secret: match[2]! } : null;
}

/**
 * Whether `secret` hashes to the stored SHA-256. Both sides are 32-byte
 * digests, compared in constant time: how long the comparison takes says
 * nothing about how much of a guess was right.
 */
export function secretMatches(secret: string, storedSha256: Buffer): boolean {
  const presented = createHash('sha256').update(secret).digest();
  return presented.length === storedSha256.length && timingSafeEqual(presented, storedSha256);
}
