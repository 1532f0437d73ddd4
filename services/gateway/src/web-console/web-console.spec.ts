import { createLogger } from '@warden/platform';
import Fastify, { type FastifyInstance } from 'fastify';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installWebConsole } from './web-console';

describe('the web console’s files', () => {
  const logger = createLogger('test', 'fatal');
  let sut: FastifyInstance;

  const built = () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-console-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(
      join(dir, 'index.html'),
      '<meta name="csp-nonce" content="__CSP_NONCE__"><script src="/assets/app-1a2b.js"></script>',
    );
    writeFileSync(join(dir, 'assets', 'app-1a2b.js'), 'console.log(1)');
    writeFileSync(join(dir, 'assets', 'notes.txt'), 'not a served type');
    return dir;
  };

  afterEach(() => sut.close());

  it('answer the page on the console’s paths, each response with a nonce of its own', async () => {
    sut = Fastify();
    installWebConsole(sut, built(), logger);
    const first = await sut.inject({ url: '/endpoints/0b0b6b9e-1111-4111-8111-111111111111' });
    const second = await sut.inject({ url: '/activation/some-token' });
    const nonceOf = (csp: unknown) => /'nonce-([^']+)'/.exec(String(csp))?.[1];
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('text/html; charset=utf-8');
    const nonce = nonceOf(first.headers['content-security-policy']);
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(first.body).toContain(`content="${nonce}"`);
    expect(first.headers['content-security-policy']).toContain("script-src 'self'");
    expect(nonceOf(second.headers['content-security-policy'])).not.toBe(nonce);
  });

  it('serve hashed assets for a year, and nothing that is not one of them', async () => {
    sut = Fastify();
    installWebConsole(sut, built(), logger);
    const asset = await sut.inject({ url: '/assets/app-1a2b.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    for (const url of ['/assets/notes.txt', '/assets/../index.html', '/assets/missing.js']) {
      expect((await sut.inject({ url })).statusCode).toBe(404);
    }
    expect((await sut.inject({ url: '/no-such-page' })).statusCode).toBe(404);
  });

  it('say how to build it when it is not built', async () => {
    sut = Fastify();
    installWebConsole(sut, join(tmpdir(), 'warden-no-console-here'), logger);
    const page = await sut.inject({ url: '/' });
    expect(page.statusCode).toBe(503);
    expect(page.body).toContain('npm run build:console');
  });
});
