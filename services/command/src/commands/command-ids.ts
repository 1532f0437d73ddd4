import { uuidText } from '@warden/platform';
import { createHash } from 'node:crypto';

/**
 * A device's command of a bulk: the bulk id's first 48 bits (a UUIDv7's
 * milliseconds, so command ids sort by issue time) then SHA-256 of the bulk
 * and the device, as a version 8 UUID. The same bulk and device always give
 * the same id, so issuing a bulk again cannot give a device a second command
 * of it: the database refuses the insert by `_id`.
 */
export function commandIdFor(bulkId: string, deviceId: string): string {
  const bytes = createHash('sha256').update(`${bulkId}:${deviceId}`).digest().subarray(0, 16);
  Buffer.from(bulkId.replace(/-/g, '').slice(0, 12), 'hex').copy(bytes, 0);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return uuidText(bytes);
}

/**
 * The bulk of one a single command is, when the console gave an
 * Idempotency-Key: the same key in the same console is the same bulk, hence
 * the same command. Its first 48 bits are the hash's too (no time to derive
 * them from); such ids sort among the others by `createdAt`.
 */
export function bulkIdForIdempotencyKey(consoleId: string, idempotencyKey: string): string {
  const bytes = createHash('sha256')
    .update(`command-bulk:${consoleId}:${idempotencyKey}`)
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return uuidText(bytes);
}

/** Jobs of one command: BullMQ refuses a custom id with one `:`, so a dash joins them. */
export const verificationJobId = (commandId: string): string => `verify-${commandId}`;
export const keycodeMoveJobId = (commandId: string): string => `move-${commandId}`;
