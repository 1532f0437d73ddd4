import { newId } from '@warden/platform';
import { z } from 'zod';
import { bulkIdForIdempotencyKey, commandIdFor } from './command-ids';

describe('command ids', () => {
  const bulkId = newId(Date.UTC(2026, 0, 2, 3, 4, 5));

  it('derives the same id from the same bulk and device, another from another device', () => {
    const device = newId();
    expect(commandIdFor(bulkId, device)).toBe(commandIdFor(bulkId, device));
    expect(commandIdFor(bulkId, device)).not.toBe(commandIdFor(bulkId, newId()));
    expect(commandIdFor(newId(), device)).not.toBe(commandIdFor(bulkId, device));
  });

  it('starts with the bulk id’s milliseconds, so ids sort by issue time, and is a valid UUID', () => {
    const sut = commandIdFor(bulkId, newId());
    expect(sut.slice(0, 13)).toBe(bulkId.slice(0, 13));
    expect(sut[14]).toBe('8');
    expect(z.string().uuid().safeParse(sut).success).toBe(true);
    const later = newId(Date.UTC(2026, 0, 2, 3, 4, 6));
    expect(commandIdFor(later, newId()) > sut).toBe(true);
  });

  it('makes one bulk of one key per console', () => {
    const consoleId = newId();
    expect(bulkIdForIdempotencyKey(consoleId, 'key-12345')).toBe(
      bulkIdForIdempotencyKey(consoleId, 'key-12345'),
    );
    expect(bulkIdForIdempotencyKey(newId(), 'key-12345')).not.toBe(
      bulkIdForIdempotencyKey(consoleId, 'key-12345'),
    );
  });
});
