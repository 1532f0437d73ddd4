import { createHash } from 'node:crypto';

/**
 * A stable event id for a fact that may be published again, such as the
 * creation of a console that a retried request finds already made: the same
 * key gives the same id, so JetStream stores it once and consumers see one
 * fact. A name-based (version 5 layout) UUID from SHA-256.
 */
export function derivedEventId(key: string): string {
  const bytes = createHash('sha256').update(`warden-event:${key}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return uuidText(bytes);
}

/** 16 bytes in a UUID's text form (the caller sets the version and variant bits). */
export function uuidText(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    hex.slice(12, 16),
    hex.slice(16, 20),
    hex.slice(20, 32),
  ].join('-');
}
