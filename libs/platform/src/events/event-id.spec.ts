import { z } from 'zod';
import { derivedEventId } from './event-id';

describe('derivedEventId', () => {
  it('gives the same key the same uuid, and different keys different ones', () => {
    const sut = derivedEventId('console-1:console.created');

    expect(derivedEventId('console-1:console.created')).toBe(sut);
    expect(derivedEventId('console-2:console.created')).not.toBe(sut);
    expect(z.string().uuid().safeParse(sut).success).toBe(true);
    expect(sut[14]).toBe('5');
  });
});
