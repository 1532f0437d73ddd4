import { CONSOLE_APP_PATHS } from '@warden/contracts';
import type { Logger } from '@warden/platform';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import type { RouteAccess } from '../auth/route-access';
import { consolePageHeaders, NONCE_PLACEHOLDER } from '../edge/http-edge';

/** Where the built console's files are served from: Vite names them by content hash. */
export const CONSOLE_ASSETS_PREFIX = '/assets/';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
};

interface StaticFile {
  body: Buffer;
  contentType: string;
}

/** Pages and assets do no work beyond a lookup in memory: not charged to the per-IP limits. */
const ACCESS: RouteAccess = { kind: 'public', rateLimit: false };

/**
 * The web console: its page on every path the console's router knows
 * (CONSOLE_APP_PATHS), and its hashed assets. Everything is read into memory
 * once at start (a few hundred KiB), so a request never touches the disk and
 * no request path ever becomes a file path. The page gets a fresh CSP nonce
 * per request for the component library's <style> elements; scripts stay
 * 'self' only.
 */
export function installWebConsole(fastify: FastifyInstance, distDir: string, logger: Logger): void {
  const page = readPage(distDir);
  const assets = readAssets(join(distDir, 'assets'));
  if (page === undefined) {
    logger.warn(
      { distDir },
      'the web console is not built (npm run build:console): its pages answer 503',
    );
  }

  const sendPage = (reply: FastifyReply) => {
    if (page === undefined) {
      return reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The web console is not built: run `npm run build:console`, then restart.\n');
    }
    const nonce = randomBytes(16).toString('base64');
    return reply
      .headers(consolePageHeaders(nonce))
      .type('text/html; charset=utf-8')
      .send(page.replaceAll(NONCE_PLACEHOLDER, nonce));
  };

  for (const path of new Set(Object.values(CONSOLE_APP_PATHS))) {
    fastify.get(path, { config: { access: ACCESS } }, (_request, reply) => sendPage(reply));
  }
  fastify.get(`${CONSOLE_ASSETS_PREFIX}*`, { config: { access: ACCESS } }, (request, reply) => {
    const name = (request.params as { '*': string })['*'];
    const file = assets.get(name);
    if (file === undefined) {
      return reply.status(404).type('text/plain; charset=utf-8').send('Not found\n');
    }
    return reply
      .header('cache-control', 'public, max-age=31536000, immutable')
      .type(file.contentType)
      .send(file.body);
  });
}

function readPage(distDir: string): string | undefined {
  const file = join(distDir, 'index.html');
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

function readAssets(dir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  if (!existsSync(dir)) return files;
  const walk = (current: string) => {
    for (const entry of readdirSync(current)) {
      const path = join(current, entry);
      if (statSync(path).isDirectory()) {
        walk(path);
        continue;
      }
      const contentType = CONTENT_TYPES[extname(entry)];
      if (contentType === undefined) continue;
      files.set(relative(dir, path).split(sep).join('/'), {
        body: readFileSync(path),
        contentType,
      });
    }
  };
  walk(dir);
  return files;
}
