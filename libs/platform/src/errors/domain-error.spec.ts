import { z } from 'zod';
import { DomainError, fromErrorBody, toErrorBody } from './domain-error';

describe('error mapping', () => {
  it('keeps code, message and details of a DomainError', () => {
    const sut = new DomainError('SEAT_LIMIT_REACHED', 'no free seat', { seats: 50 });

    expect(toErrorBody(sut)).toEqual({
      code: 'SEAT_LIMIT_REACHED',
      message: 'no free seat',
      details: { seats: 50 },
    });
  });

  it('turns a zod error into VALIDATION_FAILED with the failing paths', () => {
    const result = z.object({ seats: z.number().int() }).safeParse({ seats: 'x' });
    if (result.success) throw new Error('expected failure');

    expect(toErrorBody(result.error)).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'request is invalid',
      details: { issues: [{ path: 'seats', message: 'Expected number, received string' }] },
    });
  });

  it('leaks nothing about unknown errors', () => {
    const body = toErrorBody(new Error('connect ECONNREFUSED mongodb://secret@db:27017'));

    expect(body).toEqual({ code: 'INTERNAL', message: 'internal error' });
  });

  it('round-trips through the wire form', () => {
    const sut = fromErrorBody(
      toErrorBody(new DomainError('KEYCODE_INVALID', 'check character', { at: 19 })),
    );

    expect(sut).toBeInstanceOf(DomainError);
    expect(sut).toMatchObject({ code: 'KEYCODE_INVALID', message: 'check character' });
    expect(sut.details).toEqual({ at: 19 });
  });

  it('treats a malformed or unknown-code body as INTERNAL', () => {
    expect(fromErrorBody({ code: 'MADE_UP', message: 'x' }).code).toBe('INTERNAL');
    expect(fromErrorBody('Internal server error').code).toBe('INTERNAL');
    expect(fromErrorBody(null).code).toBe('INTERNAL');
  });
});
