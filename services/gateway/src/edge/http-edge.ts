import helmet, { type HelmetOptions } from 'helmet';
import {
  type Logger,
  REQUEST_ID_HEADER,
  requestIdFrom,
  runWithRequestContext,
} from '@warden/platform';
import type { FastifyInstance, FastifyReply, FastifyServerOptions, RouteOptions } from 'fastify';
import { randomUUID } from 'node:crypto';
import { isIP, type Socket } from 'node:net';
import type { RouteAccess } from '../auth/route-access';
import type { GatewayConfig } from '../config';
import { edgeError, errorEnvelope } from '../errors/error-reply';
import type { RateLimiter } from './rate-limiter';
import type { RouteTable } from './route-table';

/** The OpenAPI document and its UI: served by @nestjs/swagger's own Fastify routes. */
export const DOCS_PREFIX = '/api/docs';

const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * For the web console, to be served from this same origin: everything from
 * 'self', no inline script, no framing, images also as data: URLs (the 2FA
 * QR code). JSON replies carry it too, where it costs nothing.
 */
const CONSOLE_CSP = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'connect-src': ["'self'"],
  'font-src': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'img-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'"],
};

/** Swagger UI's page has an inline <style> block; its scripts are files, so scripts stay 'self'. */
const DOCS_CSP = { ...CONSOLE_CSP, 'style-src': ["'self'", "'unsafe-inline'"] };

const helmetOptions = (directives: Record<string, string[]>): HelmetOptions => ({
  contentSecurityPolicy: { useDefaults: false, directives },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
});

/**
 * The headers helmet sets for these options, computed once: they are the same
 * on every reply, and building helmet per request (as @fastify/helmet does)
 * was a fifth of the gateway's CPU on a bare route.
 */
function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const collect = {
    setHeader: (name: string, value: string | number) =>
      void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  // Helmet v8 throws a bad option at once rather than passing it here.
  helmet(options)({} as never, collect as never, () => undefined);
  return headers;
}

const CONSOLE_HEADERS = securityHeaders(helmetOptions(CONSOLE_CSP));
const DOCS_HEADERS = securityHeaders(helmetOptions(DOCS_CSP));

/** Stands for the per-request nonce in the console's page and in its CSP. */
export const NONCE_PLACEHOLDER = '__CSP_NONCE__';

/**
 * The web console's page: the component library writes its theme into
 * <style> elements, which carry the page's nonce; scripts and stylesheets
 * still come from 'self' only, and inline scripts stay refused.
 */
const PAGE_CSP_TEMPLATE = securityHeaders(
  helmetOptions({ ...CONSOLE_CSP, 'style-src': ["'self'", `'nonce-${NONCE_PLACEHOLDER}'`] }),
)['content-security-policy']!;

/** The CSP of one response of the console's page, with its own nonce. */
export function consolePageHeaders(nonce: string): Record<string, string> {
  return { 'content-security-policy': PAGE_CSP_TEMPLATE.replace(NONCE_PLACEHOLDER, nonce) };
}

/**
 * Fastify options of the gateway: request ids, and the envelope for what the
 * HTTP server refuses before any route runs (bad URL, a too-long path
 * parameter, oversized headers).
 */
export function edgeServerOptions(config: GatewayConfig, logger: Logger): FastifyServerOptions {
  return {
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: config.trustProxy,
    routerOptions: { maxParamLength: 100 },
    genReqId: (request) => requestIdFrom(request.headers[REQUEST_ID_HEADER]),
    frameworkErrors: (error, request, reply) => {
      const { status, body } =
        error.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? edgeError('URI_TOO_LONG')
          : edgeError('MALFORMED_REQUEST');
      logger.info(
        { requestId: request.id, method: request.method, route: null, status, ip: request.ip },
        'request',
      );
      void (reply as FastifyReply)
        .header(REQUEST_ID_HEADER, request.id)
        .header('cache-control', 'no-store')
        .header('x-content-type-options', 'nosniff')
        .status(status)
        .send(errorEnvelope(body, request.id));
    },
    clientErrorHandler: (error: NodeJS.ErrnoException, socket: Socket) =>
      refuseUnparsableRequest(error, socket, logger),
  };
}

/**
 * Node's HTTP parser refused the request (headers over 16 KiB, garbage):
 * there is no request object, so the reply is written to the socket by hand,
 * still in the envelope and with a request id.
 */
function refuseUnparsableRequest(error: NodeJS.ErrnoException, socket: Socket, logger: Logger) {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const requestId = randomUUID();
  const { status, body } =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? edgeError('HEADERS_TOO_LARGE')
      : edgeError('MALFORMED_REQUEST');
  logger.warn(
    { requestId, status, reason: error.code, ip: socket.remoteAddress },
    'request refused by the HTTP parser',
  );
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const json = JSON.stringify(errorEnvelope(body, requestId));
  const reason = status === 431 ? 'Request Header Fields Too Large' : 'Bad Request';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\n` +
      'content-type: application/json; charset=utf-8\r\n' +
      `content-length: ${Buffer.byteLength(json)}\r\n` +
      `${REQUEST_ID_HEADER}: ${requestId}\r\n` +
      'cache-control: no-store\r\n' +
      'x-content-type-options: nosniff\r\n' +
      'connection: close\r\n\r\n' +
      json,
  );
}

/**
 * Hooks every request passes through: security headers (helmet), the request
 * id on the reply and around the handler (so log lines and NATS calls carry
 * it), `Cache-Control: no-store` (replies carry keycodes and tokens), rate
 * limits for the docs routes, and one access-log line per request.
 */
export function installEdge(
  fastify: FastifyInstance,
  logger: Logger,
  routes: RouteTable,
  limiter: RateLimiter,
): void {
  // Only JSON is spoken here; text/plain would otherwise be parsed and reach validation.
  fastify.removeContentTypeParser('text/plain');

  fastify.addHook('onRoute', (route: RouteOptions) => {
    // /api/docs, its assets, /api/docs/openapi.json and /api/docs-yaml
    if (route.url.startsWith(DOCS_PREFIX)) {
      declareDocsRoute(route, limiter);
    }
    routes.record(route);
  });

  fastify.addHook('onRequest', (request, reply, done) => {
    const docs = request.routeOptions.url?.startsWith(DOCS_PREFIX) ?? false;
    void reply
      .headers(docs ? DOCS_HEADERS : CONSOLE_HEADERS)
      .header(REQUEST_ID_HEADER, request.id)
      .header('cache-control', 'no-store');
    // With TRUST_PROXY the client address comes from X-Forwarded-For, which a client
    // may fill with anything: it keys rate limits and is audited, so it must be an address.
    if (isIP(request.ip) === 0) {
      const { status, body } = edgeError('MALFORMED_REQUEST');
      void reply.status(status).send(errorEnvelope(body, request.id));
      return;
    }
    done();
  });

  // After body parsing (whose callbacks would lose the context), around guards, pipes and handler.
  fastify.addHook('preHandler', (request, _reply, done) => {
    runWithRequestContext({ requestId: request.id }, done);
  });

  fastify.addHook('onResponse', (request, reply, done) => {
    const line = {
      requestId: request.id,
      method: request.method,
      // The route's pattern, never the raw URL: paths and query strings can carry secrets.
      route: request.routeOptions.url ?? null,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      ip: request.ip,
    };
    if (reply.statusCode >= 500) logger.error(line, 'request');
    else logger.info(line, 'request');
    done();
  });
}

/** The docs routes are @nestjs/swagger's, not controllers: declared public here, with their CSP. */
function declareDocsRoute(route: RouteOptions, limiter: RateLimiter): void {
  const access: RouteAccess = { kind: 'public', rateLimit: true };
  route.config = { ...(route.config as object), access };
  const limit = async (request: { ip: string }) => limiter.chargePublic(request.ip);
  const existing = route.onRequest;
  route.onRequest = [...(Array.isArray(existing) ? existing : existing ? [existing] : []), limit];
}
