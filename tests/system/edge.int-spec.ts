import type { INestMicroservice } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type ConsoleDetail, licensingRpc } from '@warden/contracts';
import { testServers } from '@warden/testing';
import { connect, type MsgHdrs } from 'nats';
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import {
  newAdministrator,
  type SignInServices,
  startGateway,
  startService,
  startSignInServices,
} from './system-under-test';

const TOKEN = `edge-operator-token-${randomUUID()}`;
const OTHER_TOKEN = `edge-second-token-${randomUUID()}`;

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

type LogLine = Record<string, unknown> & { level: number; msg: string };

/** A pino destination that keeps every line, for tests that read the logs. */
function logSink() {
  const lines: LogLine[] = [];
  return {
    lines,
    destination: { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) },
  };
}

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  body: { error?: { code: string; message: string; requestId: string } } & Record<string, unknown>;
}

async function send(url: string, init: RequestInit = {}): Promise<Reply> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: Reply['body'] = {};
  try {
    body = JSON.parse(text) as Reply['body'];
  } catch {
    // not JSON: the assertion on `body` fails with the text in view
  }
  return { status: response.status, headers: response.headers, text, body };
}

/** node:http, for requests fetch will not send (oversized headers). */
function rawGet(url: string, headers: Record<string, string>): Promise<Reply> {
  return new Promise((done, fail) => {
    const request = httpRequest(url, { headers }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () =>
        done({
          status: response.statusCode ?? 0,
          headers: new Headers(response.headers as Record<string, string>),
          text,
          body: JSON.parse(text) as Reply['body'],
        }),
      );
    });
    request.on('error', fail);
    request.end();
  });
}

describe('the gateway edge: authentication, limits, headers, errors, request ids', () => {
  let licensing: INestMicroservice;
  let gateway: { app: NestFastifyApplication; url: string };
  let signIn: SignInServices;
  const logs = logSink();
  let consoleDetail: ConsoleDetail;

  beforeAll(async () => {
    licensing = await startService('licensing');
    gateway = await startGateway(
      { OPS_API_TOKENS: `${TOKEN},${OTHER_TOKEN}`, TRUST_PROXY: 'true', LOG_LEVEL: 'info' },
      { logDestination: logs.destination },
    );
    signIn = await startSignInServices(gateway.url);
    const created = await send(`${gateway.url}/ops/v1/consoles`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TOKEN}`,
        'content-type': 'application/json',
        'idempotency-key': 'edge-console-1',
      },
      body: JSON.stringify({
        name: 'Edge KK',
        kind: 'trial',
        site: { name: 'HQ', seats: 3 },
        administrators: [newAdministrator()],
      }),
    });
    expect(created.status).toBe(201);
    consoleDetail = created.body as unknown as ConsoleDetail;
  });

  afterAll(async () => {
    await gateway?.app.close();
    await signIn?.stop();
    await licensing?.close();
  });

  describe('bearer tokens', () => {
    it('are taken from the Authorization header only, never the URL or the body', async () => {
      const inQuery = await send(`${gateway.url}/ops/v1/consoles?access_token=${TOKEN}`);
      const inBody = await send(
        `${gateway.url}/ops/v1/consoles/${consoleDetail.console.id}/suspend`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ access_token: TOKEN }),
        },
      );
      const inHeader = await send(`${gateway.url}/ops/v1/consoles`, { headers: bearer(TOKEN) });

      expect(inQuery.status).toBe(401);
      expect(inBody.status).toBe(401);
      expect(inHeader.status).toBe(200);
    });

    it('answers 401 with a WWW-Authenticate challenge', async () => {
      const missing = await send(`${gateway.url}/ops/v1/consoles`);
      const wrong = await send(`${gateway.url}/ops/v1/consoles`, {
        headers: bearer('wrong-token-wrong-token-wrong-token'),
      });

      expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="warden"');
      expect(wrong.headers.get('www-authenticate')).toBe(
        'Bearer realm="warden", error="invalid_token"',
      );
    });
  });

  describe('security headers', () => {
    it('sends helmet’s headers and a same-origin CSP without inline scripts', async () => {
      const reply = await send(`${gateway.url}/health/live`);
      const csp = reply.headers.get('content-security-policy') ?? '';

      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self';");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
      expect(reply.headers.get('x-frame-options')).toBe('DENY');
      expect(reply.headers.get('referrer-policy')).toBe('no-referrer');
    });

    it('lets only the docs page use inline styles, still no inline scripts', async () => {
      const reply = await send(`${gateway.url}/api/docs`);
      const csp = reply.headers.get('content-security-policy') ?? '';

      expect(reply.status).toBe(200);
      expect(csp).toContain("style-src 'self' 'unsafe-inline'");
      expect(csp).toContain("script-src 'self';");
    });

    it('forbids caching replies that carry keycodes', async () => {
      const site = await send(`${gateway.url}/ops/v1/sites/${consoleDetail.sites[0]!.id}`, {
        headers: bearer(TOKEN),
      });

      expect(site.body['keycode']).toBe(consoleDetail.sites[0]!.keycode);
      expect(site.headers.get('cache-control')).toBe('no-store');
    });

    it('answers no cross-origin request (no CORS headers, ADR 0006)', async () => {
      const reply = await send(`${gateway.url}/ops/v1/consoles`, {
        headers: { ...bearer(TOKEN), origin: 'https://evil.example' },
      });
      const preflight = await send(`${gateway.url}/ops/v1/consoles`, {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      });

      expect(reply.headers.get('access-control-allow-origin')).toBeNull();
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
      expect(preflight.status).toBe(405);
    });
  });

  describe('errors of the HTTP server itself, in the envelope with their own codes', () => {
    const longId = 'x'.repeat(120);

    it.each([
      ['a path parameter over 100 characters', `/ops/v1/consoles/${longId}`, 414, 'URI_TOO_LONG'],
      ['a bad percent-encoding', '/ops/v1/consoles/%ZZ', 400, 'MALFORMED_REQUEST'],
      ['an unknown route', '/no/such/route', 404, 'ROUTE_NOT_FOUND'],
    ])('%s', async (_, path, status, code) => {
      const reply = await send(`${gateway.url}${path}`, { headers: bearer(TOKEN) });

      expect(reply.status).toBe(status);
      expect(reply.body.error).toEqual({
        code,
        message: expect.any(String) as unknown,
        requestId: reply.headers.get('x-request-id'),
      });
      expect(reply.text).not.toContain(longId);
      expect(reply.text).not.toContain('%ZZ');
    });

    it('a known path with another method: 405 with Allow', async () => {
      const reply = await send(`${gateway.url}/health`, { method: 'DELETE' });

      expect(reply.status).toBe(405);
      expect(reply.headers.get('allow')).toBe('GET, HEAD');
      expect(reply.body.error?.code).toBe('METHOD_NOT_ALLOWED');
    });

    it('headers over 16 KiB: 431 HEADERS_TOO_LARGE', async () => {
      const reply = await rawGet(`${gateway.url}/health/live`, { 'x-filler': 'a'.repeat(17_000) });

      expect(reply.status).toBe(431);
      expect(reply.body.error).toEqual({
        code: 'HEADERS_TOO_LARGE',
        message: expect.any(String) as unknown,
        requestId: reply.headers.get('x-request-id'),
      });
    });

    it('a body over 1 MiB: 413 PAYLOAD_TOO_LARGE', async () => {
      const reply = await send(`${gateway.url}/ops/v1/consoles`, {
        method: 'POST',
        headers: { ...bearer(TOKEN), 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'x'.repeat(1_100_000) }),
      });

      expect(reply.status).toBe(413);
      expect(reply.body.error?.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it.each(['text/plain', 'application/xml'])(
      'a %s body: 415 UNSUPPORTED_MEDIA_TYPE',
      async (type) => {
        const reply = await send(`${gateway.url}/ops/v1/consoles`, {
          method: 'POST',
          headers: { ...bearer(TOKEN), 'content-type': type },
          body: 'name=x',
        });

        expect(reply.status).toBe(415);
        expect(reply.body.error?.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      },
    );
  });

  describe('request ids', () => {
    it('keeps a sane X-Request-Id from the client, in the reply header and the error', async () => {
      const id = `client-${randomUUID()}`;

      const reply = await send(`${gateway.url}/ops/v1/consoles`, {
        headers: { 'x-request-id': id },
      });

      expect(reply.headers.get('x-request-id')).toBe(id);
      expect(reply.body.error?.requestId).toBe(id);
    });

    it('sends the request id to the services in the NATS message headers', async () => {
      const id = `nats-${randomUUID()}`;
      const bus = await connect({ servers: testServers().natsUrl });
      try {
        // A plain subscriber (no queue group) sees a copy of every request licensing gets.
        const seen = new Promise<MsgHdrs | undefined>((done) => {
          bus.subscribe(licensingRpc.listConsoles.subject, {
            callback: (_, message) => {
              if (message.headers?.get('x-request-id') === id) done(message.headers);
            },
          });
        });
        await bus.flush();

        const reply = await send(`${gateway.url}/ops/v1/consoles?limit=1`, {
          headers: { ...bearer(TOKEN), 'x-request-id': id },
        });

        expect(reply.status).toBe(200);
        expect((await seen)?.get('x-request-id')).toBe(id);
      } finally {
        await bus.close();
      }
    });

    it.each([
      ['too short', 'abc'],
      ['with a space', 'abc def ghi jkl'],
      ['too long', 'a'.repeat(200)],
    ])('replaces one that is %s', async (_, id) => {
      const reply = await send(`${gateway.url}/no/such/route`, { headers: { 'x-request-id': id } });

      expect(reply.headers.get('x-request-id')).not.toBe(id);
      expect(reply.body.error?.requestId).toBe(reply.headers.get('x-request-id'));
    });
  });

  describe('access log', () => {
    it('writes one line per request: method, route pattern, status, latency, id; never the token', async () => {
      const siteId = consoleDetail.sites[0]!.id;
      // A token in the query is an unknown parameter (400), and still never logged.
      const reply = await send(`${gateway.url}/ops/v1/sites/${siteId}?access_token=${TOKEN}`, {
        headers: bearer(TOKEN),
      });
      const requestId = reply.headers.get('x-request-id');

      const line = await waitFor(() =>
        logs.lines.find((l) => l.msg === 'request' && l['requestId'] === requestId),
      );
      expect(line).toMatchObject({
        method: 'GET',
        route: '/ops/v1/sites/:siteId',
        status: 400,
        ip: '127.0.0.1',
      });
      expect(line['ms']).toEqual(expect.any(Number));
      expect(JSON.stringify(logs.lines)).not.toContain(TOKEN);
      expect(JSON.stringify(logs.lines)).not.toContain(consoleDetail.sites[0]!.keycode);
    });
  });
});

describe('rate limits kept in Redis', () => {
  let licensing: INestMicroservice;
  let gateway: { app: NestFastifyApplication; url: string };
  let twin: { app: NestFastifyApplication; url: string };
  const logs = logSink();
  const limits = {
    OPS_API_TOKENS: `${TOKEN},${OTHER_TOKEN}`,
    TRUST_PROXY: 'true',
    RATE_LIMIT_AUTH_FAILURES: '5',
    RATE_LIMIT_PUBLIC: '5',
    RATE_LIMIT_OPS: '8',
    REDIS_KEY_PREFIX: `edge-limits-${randomUUID()}:`,
  };

  beforeAll(async () => {
    licensing = await startService('licensing');
    gateway = await startGateway(limits, { logDestination: logs.destination });
    // A second copy of the gateway on the same Redis prefix: limits are shared.
    twin = await startGateway(limits, { logDestination: logs.destination });
  });

  afterAll(async () => {
    await twin?.app.close();
    await gateway?.app.close();
    await licensing?.close();
  });

  const from = (ip: string, headers: Record<string, string> = {}) => ({
    headers: { 'x-forwarded-for': ip, ...headers },
  });

  it('refuses a forwarded client address that is not an address', async () => {
    const response = await fetch(`${gateway!.url}/health/live`, from('=cmd|calc!A1'));
    const body = (await response.json()) as { error?: { code: string } };

    expect(response.status).toBe(400);
    expect(body.error?.code).toBe('MALFORMED_REQUEST');
  });

  it('refuses a flood of bad tokens from one address with 429, a jittered Retry-After and a warning', async () => {
    const ip = '203.0.113.7';
    const statuses: number[] = [];
    const retryAfter: number[] = [];
    for (let i = 0; i < 12; i++) {
      const target = i % 2 === 0 ? gateway : twin;
      const reply = await send(
        `${target.url}/ops/v1/consoles`,
        from(ip, { authorization: 'Bearer not-a-token-not-a-token-not-a-token' }),
      );
      statuses.push(reply.status);
      if (reply.status === 429) {
        expect(reply.body.error?.code).toBe('RATE_LIMITED');
        retryAfter.push(Number(reply.headers.get('retry-after')));
      }
    }

    expect(statuses).toEqual([...Array<number>(5).fill(401), ...Array<number>(7).fill(429)]);
    for (const seconds of retryAfter) {
      expect(seconds).toBeGreaterThanOrEqual(1);
      expect(seconds).toBeLessThanOrEqual(60 + 16);
    }
    const warnings = logs.lines.filter((l) => l.level === 40 && l['ip'] === ip);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.msg).toMatch(/authentication failures/);

    // Even the right token gets nothing from that address until the window ends…
    const right = await send(`${gateway.url}/ops/v1/consoles`, from(ip, bearer(TOKEN)));
    expect(right.status).toBe(429);
    // …while other addresses are unaffected.
    const elsewhere = await send(
      `${gateway.url}/ops/v1/consoles`,
      from('203.0.113.8', bearer(TOKEN)),
    );
    expect(elsewhere.status).toBe(200);
  });

  it('limits each operator token, across gateway copies', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const target = i % 2 === 0 ? gateway : twin;
      const reply = await send(
        `${target.url}/ops/v1/consoles?limit=1`,
        from(`198.51.100.${i}`, bearer(OTHER_TOKEN)),
      );
      statuses.push(reply.status);
    }

    expect(statuses).toEqual([...Array<number>(8).fill(200), 429, 429]);
  });

  it('limits unauthenticated routes per client IP, never the liveness probe', async () => {
    const ip = '192.0.2.55';
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      statuses.push((await send(`${gateway.url}/api/docs/openapi.json`, from(ip))).status);
    }
    const probes = await Promise.all(
      Array.from({ length: 10 }, () => send(`${gateway.url}/health/live`, from(ip))),
    );
    const otherIp = await send(`${gateway.url}/api/docs/openapi.json`, from('192.0.2.56'));

    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(probes.map((p) => p.status)).toEqual(Array<number>(10).fill(200));
    expect(otherIp.status).toBe(200);
  });

  it('lets requests through when Redis is unreachable (fail-open), without waiting on it', async () => {
    const blind = await startGateway({ ...limits, REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const started = Date.now();
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        statuses.push(
          (await send(`${blind.url}/ops/v1/consoles?limit=1`, from('192.0.2.99', bearer(TOKEN))))
            .status,
        );
      }

      expect(statuses).toEqual(Array<number>(8).fill(200));
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await blind.app.close();
    }
  });
});

async function waitFor<T>(find: () => T | undefined): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const found = find();
    if (found !== undefined) return found;
    await new Promise((done) => setImmediate(done));
  }
  throw new Error('not found');
}
