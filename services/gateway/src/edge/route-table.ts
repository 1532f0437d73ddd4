import type { RouteOptions } from 'fastify';
import type { RouteAccess } from '../auth/route-access';

export interface RegisteredRoute {
  method: string;
  url: string;
  /** Declared in Fastify's route config (routes that Nest does not own, e.g. /api/docs). */
  access?: RouteAccess;
}

interface CompiledRoute extends RegisteredRoute {
  pattern: RegExp;
}

/**
 * Every route Fastify registers (filled by an onRoute hook), so that an
 * unknown method on a known path answers 405 with `Allow`, and so that a test
 * can walk all routes and find any without an access declaration.
 */
export class RouteTable {
  private readonly routes: CompiledRoute[] = [];

  record(route: RouteOptions): void {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const config: { access?: RouteAccess } | undefined = route.config;
    for (const method of methods) {
      this.routes.push({
        method: method.toUpperCase(),
        url: route.url,
        access: config?.access,
        pattern: compile(route.url),
      });
    }
  }

  all(): RegisteredRoute[] {
    return this.routes.map(({ method, url, access }) => ({ method, url, access }));
  }

  /** The methods some route accepts on this request path (query string ignored). */
  methodsFor(requestUrl: string): string[] {
    const path = requestUrl.split('?', 1)[0] ?? '';
    const methods = new Set<string>();
    for (const route of this.routes) if (route.pattern.test(path)) methods.add(route.method);
    return [...methods].sort();
  }
}

function compile(url: string): RegExp {
  const segments = url.split('/').map((segment) => {
    if (segment === '*') return '.*';
    if (segment.startsWith(':')) return '[^/]+';
    return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  });
  return new RegExp(`^${segments.join('/')}/?$`);
}
