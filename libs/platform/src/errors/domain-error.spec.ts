import { z } from 'zod';
import { DomainError, fromErrorBody, ruleViolations, toErrorBody } from './domain-error';

describe('error mapping', () => {
  it('keeps code, message and details of a DomainError', () => {
    const sut = new DomainError('SEAT_LIMIT_REACHED', 'no free seat', { seats: 50 });

    expect(toErrorBody(sut)).toEqual({
      code: 'SEAT_LIMIT_REACHED',
      message: 'no free seat',
      details: { seats: 50 },
    });
  });

  it('turns a zod error into VALIDATION_FAILED naming each failing path and rule', () => {
    const result = z
      .object({ seats: z.number().int(), name: z.string().min(2).max(5) })
      .safeParse({ seats: 'x', name: 'a' });
    if (result.success) throw new Error('expected failure');

    expect(toErrorBody(result.error)).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'request is invalid',
      details: {
        issues: [
          { path: 'seats', message: 'Expected number, received string', rule: 'invalid_type' },
          {
            path: 'name',
            message: 'String must contain at least 2 character(s)',
            rule: 'min_length',
          },
        ],
        fields: { seats: ['invalid_type'], name: ['min_length'] },
      },
    });
  });

  it('states rules a service checks itself by field, for forms', () => {
    expect(ruleViolations({ password: ['min_length', 'min_digits'] }).toBody()).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'request is invalid',
      details: {
        issues: [
          { path: 'password', rule: 'min_length', message: 'breaks the rule min_length' },
          { path: 'password', rule: 'min_digits', message: 'breaks the rule min_digits' },
        ],
        fields: { password: ['min_length', 'min_digits'] },
      },
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
