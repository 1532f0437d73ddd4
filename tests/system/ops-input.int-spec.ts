import type { ConsoleDetail } from '@warden/contracts';
import { randomUUID } from 'node:crypto';
import { newAdministrator, signInStack } from './system-under-test';

const TOKEN = `input-test-operator-token-${randomUUID()}`;

/** What the ops API refuses, and how it stores what it accepts. */
describe('ops API input', () => {
  const system = signInStack({ gateway: { OPS_API_TOKENS: TOKEN } });

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${system.url()}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${TOKEN}`,
        'idempotency-key': randomUUID(),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const failedPaths = (body: Record<string, unknown>): string[] =>
    (body['error'] as { details: { issues: { path: string }[] } }).details.issues.map(
      (i) => i.path,
    );

  const openConsole = (overrides: Record<string, unknown>) =>
    call('POST', '/ops/v1/consoles', {
      name: 'Input KK',
      kind: 'production',
      site: { name: 'HQ', seats: 5 },
      administrators: [newAdministrator()],
      ...overrides,
    });

  it.each([
    ['NUL', 'Acme\u0000KK'],
    ['a control character', 'Acme\u001bKK'],
    ['a right-to-left override', 'Acme\u202eKK'],
  ])('refuses a console name with %s, naming the field', async (_, name) => {
    const reply = await openConsole({ name });

    expect(reply.status).toBe(400);
    expect(failedPaths(reply.body)).toEqual(['name']);
  });

  it('stores names in NFC, so the same name typed two ways is the same', async () => {
    const reply = await openConsole({
      name: 'Cafe\u0301 KK',
      site: { name: 'Sho\u0304ji', seats: 5, comment: 'line one\r\nline two' },
    });

    expect(reply.status).toBe(201);
    const detail = reply.body as unknown as ConsoleDetail;
    expect(detail.console.name).toBe('Caf\u00e9 KK');
    expect(detail.sites[0]).toMatchObject({ name: 'Sh\u014dji', comment: 'line one\nline two' });
  });

  it('refuses a report recipient listed twice', async () => {
    const site = ((await openConsole({})).body as unknown as ConsoleDetail).sites[0]!;

    const reply = await call('PATCH', `/ops/v1/sites/${site.id}`, {
      reportRecipients: ['it@example.jp', 'IT@example.jp'],
    });

    expect(reply.status).toBe(400);
    expect(failedPaths(reply.body)).toEqual(['reportRecipients.1']);
  });

  it.each(['0x10', '1e1', '10.0'])(
    'refuses limit=%s instead of guessing a number',
    async (limit) => {
      const reply = await call('GET', `/ops/v1/consoles?limit=${limit}`);

      expect(reply.status).toBe(400);
      expect(failedPaths(reply.body)).toEqual(['limit']);
    },
  );
});
