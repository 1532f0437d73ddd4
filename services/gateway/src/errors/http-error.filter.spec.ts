import type { ArgumentsHost } from '@nestjs/common';
import { HttpException, NotFoundException } from '@nestjs/common';
import { ContractViolationError, createLogger, DomainError } from '@warden/platform';
import { z } from 'zod';
import type { RouteOptions } from 'fastify';
import { RouteTable } from '../edge/route-table';
import { HttpErrorFilter } from './http-error.filter';

/** Records what the filter sends, the way Fastify's reply would receive it. */
function fakeHttp(request: { url?: string; headers?: Record<string, string> } = {}) {
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
  const fastifyRequest = { id: 'req-0001', url: '/x', headers: {}, ...request };
  const host = {
    switchToHttp: () => ({ getResponse: () => reply, getRequest: () => fastifyRequest }),
  } as unknown as ArgumentsHost;
  return { sent, host };
}

function logSink() {
  const lines: Record<string, unknown>[] = [];
  return {
    lines,
    destination: {
      write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>),
    },
  };
}

describe('HttpErrorFilter', () => {
  const logs = logSink();
  const routes = new RouteTable();
  routes.record({ method: ['GET', 'HEAD'], url: '/ops/v1/sites/:siteId' } as RouteOptions);
  const sut = new HttpErrorFilter(createLogger('test', 'info', logs.destination), routes);

  it.each([
    ['SEAT_LIMIT_REACHED', 409],
    ['KEYCODE_INVALID', 400],
    ['CONSOLE_SUSPENDED', 403],
    ['UNAUTHENTICATED', 401],
    ['VALIDATION_FAILED', 400],
  ] as const)('maps %s to %i with the envelope and the request id', (code, status) => {
    const { sent, host } = fakeHttp();

    sut.catch(new DomainError(code, 'refused', { why: 'test' }), host);

    expect(sent.status).toBe(status);
    expect(sent.body).toEqual({
      error: { code, message: 'refused', details: { why: 'test' }, requestId: 'req-0001' },
    });
  });

  it('answers unknown errors with a bare INTERNAL 500 and logs them with the request id', () => {
    const { sent, host } = fakeHttp();

    sut.catch(new TypeError('cannot read x of undefined'), host);

    expect(sent.status).toBe(500);
    expect(sent.body).toEqual({
      error: { code: 'INTERNAL', message: 'internal error', requestId: 'req-0001' },
    });
    expect(logs.lines.at(-1)).toMatchObject({ level: 50, requestId: 'req-0001' });
  });

  it('answers a reply that broke its contract as INTERNAL, not VALIDATION_FAILED', () => {
    const { sent, host } = fakeHttp();
    const broken = z.object({ seats: z.number() }).safeParse({ seats: 'x' });

    sut.catch(
      new ContractViolationError('licensing.site.get.v1', 'reply received', broken.error!),
      host,
    );

    expect(sent.status).toBe(500);
    expect(JSON.stringify(sent.body)).not.toContain('licensing.');
    expect(logs.lines.at(-1)).toMatchObject({
      level: 50,
      err: expect.objectContaining({ subject: 'licensing.site.get.v1' }) as unknown,
    });
  });

  it('keeps internal names out of the reply and in the log', () => {
    const { sent, host } = fakeHttp();

    sut.catch(
      new DomainError('SERVICE_UNAVAILABLE', 'the service is not running', undefined, {
        subject: 'licensing.console.get.v1',
      }),
      host,
    );

    expect(sent.status).toBe(503);
    expect(JSON.stringify(sent.body)).not.toContain('licensing.');
    expect(Number(sent.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(logs.lines.at(-1)).toMatchObject({
      level: 50,
      requestId: 'req-0001',
      subject: 'licensing.console.get.v1',
    });
  });

  it('answers an unknown route with ROUTE_NOT_FOUND, a known path with another method with 405', () => {
    const unknown = fakeHttp({ url: '/nowhere' });
    const wrongMethod = fakeHttp({ url: '/ops/v1/sites/abc?x=1' });

    sut.catch(new NotFoundException('Cannot GET /nowhere'), unknown.host);
    sut.catch(new NotFoundException('Cannot DELETE /ops/v1/sites/abc'), wrongMethod.host);

    expect(unknown.sent.status).toBe(404);
    expect(unknown.sent.body).toEqual({
      error: { code: 'ROUTE_NOT_FOUND', message: 'no such route', requestId: 'req-0001' },
    });
    expect(wrongMethod.sent.status).toBe(405);
    expect(wrongMethod.sent.headers['allow']).toBe('GET, HEAD');
  });

  it.each([
    [413, 'PAYLOAD_TOO_LARGE'],
    [415, 'UNSUPPORTED_MEDIA_TYPE'],
    [400, 'VALIDATION_FAILED'],
  ])('gives Fastify’s %i its own code, without echoing its message', (status, code) => {
    const { sent, host } = fakeHttp();

    sut.catch(new HttpException('Unsupported Media Type: text/evil', status), host);

    expect(sent.status).toBe(status);
    expect((sent.body as { error: { code: string } }).error.code).toBe(code);
    expect(JSON.stringify(sent.body)).not.toContain('evil');
  });

  it('challenges a 401 (RFC 6750), saying when a presented token was wrong', () => {
    const missing = fakeHttp();
    const wrong = fakeHttp({ headers: { authorization: 'Bearer nope' } });

    sut.catch(new DomainError('UNAUTHENTICATED', 'authentication required'), missing.host);
    sut.catch(new DomainError('UNAUTHENTICATED', 'authentication required'), wrong.host);

    expect(missing.sent.headers['www-authenticate']).toBe('Bearer realm="warden"');
    expect(wrong.sent.headers['www-authenticate']).toBe(
      'Bearer realm="warden", error="invalid_token"',
    );
  });

  it('tells a rate-limited client when to come back', () => {
    const { sent, host } = fakeHttp();

    sut.catch(
      new DomainError('RATE_LIMITED', 'too many requests', undefined, { retryAfterSeconds: 42 }),
      host,
    );

    expect(sent.status).toBe(429);
    expect(sent.headers['retry-after']).toBe('42');
  });
});
