import { DomainError } from '@warden/platform';
import { decodeCursor, encodeCursor, requestTag } from './endpoint-listing';

const codeOf = (action: () => unknown): string => {
  try {
    action();
    return 'OK';
  } catch (error) {
    return error instanceof DomainError ? error.code : String(error);
  }
};

describe('endpoint table cursors', () => {
  const request = {
    siteId: '01a220bb-fa6f-7e89-93ff-c65991995eb2',
    filter: { status: ['infected' as const, 'protected' as const], q: 'pc' },
    sort: 'lastSeenAt' as const,
    order: 'desc' as const,
  };

  it('round-trips a position, dates as dates', () => {
    const tag = requestTag(request);
    const at = new Date('2026-12-01T10:00:00.123Z');
    const sut = encodeCursor(tag, { classKey: 'all', value: at, id: 'x' });
    expect(decodeCursor(sut, tag)).toEqual({ classKey: 'all', value: at, id: 'x' });
  });

  it('is bound to the request: the same filter in another order of keys or statuses is the same request', () => {
    const reordered = {
      ...request,
      filter: { q: 'pc', status: ['protected' as const, 'infected' as const] },
    };
    expect(requestTag(reordered)).toBe(requestTag(request));
    expect(requestTag({ ...request, order: 'asc' })).not.toBe(requestTag(request));
    expect(requestTag({ ...request, filter: {} })).not.toBe(requestTag(request));
  });

  it('refuses a cursor of another request, or one not made here', () => {
    const sut = encodeCursor(requestTag(request), { classKey: 'all', value: 'a', id: 'x' });
    expect(codeOf(() => decodeCursor(sut, requestTag({ ...request, sort: 'hostname' })))).toBe(
      'CURSOR_INVALID',
    );
    expect(codeOf(() => decodeCursor('%%%', requestTag(request)))).toBe('CURSOR_INVALID');
    expect(codeOf(() => decodeCursor(Buffer.from('null').toString('base64url'), 'x'))).toBe(
      'CURSOR_INVALID',
    );
  });
});
