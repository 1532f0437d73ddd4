import type { ArgumentsHost } from '@nestjs/common';
import { NotFoundException } from '@nestjs/common';
import { ERROR_CODES } from '@warden/contracts';
import { createLogger, DomainError } from '@warden/platform';
import { HttpErrorFilter } from './http-error.filter';
import { HTTP_STATUS_BY_CODE } from './http-status.table';

/** Records what the filter sends, the way Fastify's reply would receive it. */
function fakeReply() {
  const sent: { status?: number; body?: unknown; headers: Record<string, string> } = {
    headers: {},
  };
  const reply = {
    status(code: number) {
      sent.status = code;
      return reply;
    },
    header(name: string, value: string) {
      sent.headers[name] = value;
      return reply;
    },
    send(body: unknown) {
      sent.body = body;
      return reply;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => reply }) } as unknown as ArgumentsHost;
  return { sent, host };
}

describe('HttpErrorFilter', () => {
  const sut = new HttpErrorFilter(createLogger('test', 'fatal'));

  it('has an HTTP status for every error code', () => {
    for (const code of ERROR_CODES) {
      expect(HTTP_STATUS_BY_CODE[code]).toBeGreaterThanOrEqual(400);
    }
  });

  it.each([
    ['SEAT_LIMIT_REACHED', 409],
    ['KEYCODE_INVALID', 400],
    ['CONSOLE_SUSPENDED', 403],
    ['UNAUTHENTICATED', 401],
    ['VALIDATION_FAILED', 400],
  ] as const)('maps %s to %i with the envelope', (code, status) => {
    const { sent, host } = fakeReply();

    sut.catch(new DomainError(code, 'refused', { why: 'test' }), host);

    expect(sent.status).toBe(status);
    expect(sent.body).toEqual({ error: { code, message: 'refused', details: { why: 'test' } } });
  });

  it('answers unknown errors with a bare INTERNAL 500', () => {
    const { sent, host } = fakeReply();

    sut.catch(new TypeError('cannot read x of undefined'), host);

    expect(sent.status).toBe(500);
    expect(sent.body).toEqual({ error: { code: 'INTERNAL', message: 'internal error' } });
  });

  it('maps framework errors (unknown route) into the envelope', () => {
    const { sent, host } = fakeReply();

    sut.catch(new NotFoundException('Cannot GET /x'), host);

    expect(sent.status).toBe(404);
    expect(sent.body).toEqual({ error: { code: 'NOT_FOUND', message: 'no such route' } });
  });

  it('tells clients when to retry a SERVICE_UNAVAILABLE, with jitter', () => {
    const { sent, host } = fakeReply();

    sut.catch(new DomainError('SERVICE_UNAVAILABLE', 'down'), host);

    expect(sent.status).toBe(503);
    expect(Number(sent.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });
});
