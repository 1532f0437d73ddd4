import { Injectable, type OnApplicationBootstrap, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { z } from 'zod';
import { BODY_SCHEMA, QUERY_SCHEMA } from '../http/openapi';
import { CONSOLE_PERMISSION_KINDS, declaredAccess, type RouteAccess } from './route-access';

/** One route of a controller, with what it declares. */
export interface DeclaredRoute {
  method: string;
  /** As Fastify registers it: `/api/v1/sites/:siteId`. */
  path: string;
  /** `Controller.method`, for messages. */
  where: string;
  access: RouteAccess | undefined;
  body: z.ZodTypeAny | undefined;
  query: z.AnyZodObject | undefined;
}

/**
 * Which kinds of access the routes under a prefix may declare: the console
 * API is for signed-in administrators (and the sign-in flow itself), the ops
 * API for operator tokens only, the agent API for agents (and public downloads). A route under a
 * prefix not listed may declare any kind (`/health`).
 */
export const ACCESS_BY_PREFIX: readonly { prefix: string; kinds: RouteAccess['kind'][] }[] = [
  { prefix: '/api/v1/', kinds: ['console', 'sign-in'] },
  { prefix: '/ops/v1/', kinds: ['ops'] },
  // Agents, and what is downloaded before there is one (the installer, public).
  { prefix: '/agent/v1/', kinds: ['device', 'agent-enrolment', 'public'] },
];

/**
 * What is wrong with the declarations of these routes, one line each: a
 * route that declares no access, a kind of access its API does not take, a
 * console permission the AccessGuard does not know, or
 * a site permission that names a parameter or property the route does not
 * have (which would refuse every `admin` account, or worse, read the site
 * from somewhere the route never validates).
 */
export function routeAccessProblems(routes: readonly DeclaredRoute[]): string[] {
  return routes.flatMap((route) => {
    const name = `${route.method} ${route.path} (${route.where})`;
    const { access } = route;
    if (access === undefined) {
      return [`${name}: declares no access (@Public, @OpsAuthenticated, @SuperAdmin, …)`];
    }
    const rule = ACCESS_BY_PREFIX.find(({ prefix }) => route.path.startsWith(prefix));
    if (rule && !rule.kinds.includes(access.kind)) {
      return [
        `${name}: ${rule.prefix} takes ${rule.kinds.join(' or ')} access, not ${access.kind}`,
      ];
    }
    if (access.kind !== 'console') return [];
    const kinds: readonly string[] = CONSOLE_PERMISSION_KINDS;
    if (!kinds.includes(access.permission.kind)) {
      return [
        `${name}: asks for console permission ${access.permission.kind}, which nothing checks`,
      ];
    }
    if (access.permission.kind !== 'site') return [];
    const from = access.permission.from;
    if ('param' in from && !route.path.split('/').includes(`:${from.param}`)) {
      return [`${name}: its site is in path parameter :${from.param}, which the path lacks`];
    }
    if ('query' in from && !hasKey(route.query, from.query)) {
      return [`${name}: its site is in query parameter ${from.query}, which @ApiZodQuery lacks`];
    }
    if ('body' in from && !hasKey(route.body, from.body)) {
      return [`${name}: its site is in body property ${from.body}, which @ApiZodBody lacks`];
    }
    return [];
  });
}

/** Whether an object schema (under refinements) has this property. */
function hasKey(schema: z.ZodTypeAny | undefined, key: string): boolean {
  let current: unknown = schema;
  for (let depth = 0; depth < 10 && current !== undefined; depth++) {
    const def = (current as { _def?: { schema?: unknown; innerType?: unknown } })._def;
    const shape = (current as { shape?: unknown }).shape;
    if (typeof shape === 'object' && shape !== null) return Object.hasOwn(shape, key);
    current = def?.schema ?? def?.innerType;
  }
  return false;
}

/**
 * The gateway does not start with a route that says nothing about who may
 * call it (issue 9: "a route without a declaration must not start"), nor
 * with one whose declaration cannot hold. Runs once every controller's routes
 * are registered, before the server listens: `app.listen()` then fails,
 * naming each route. The AccessGuard still denies an undeclared route, should
 * one ever be added in a way this walk does not see.
 */
@Injectable()
export class RouteAccessCheck implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onApplicationBootstrap(): void {
    const problems = routeAccessProblems(this.routes());
    if (problems.length > 0) {
      throw new Error(
        `the gateway does not start with routes that do not say who may call them:\n  ${problems.join('\n  ')}`,
      );
    }
  }

  /** Every route handler of every controller, with its declarations. */
  routes(): DeclaredRoute[] {
    return this.discovery.getControllers().flatMap((wrapper) => {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!controller) return [];
      const prototype = controller.prototype as Record<string, unknown>;
      return this.scanner.getAllMethodNames(prototype).flatMap((name): DeclaredRoute[] => {
        const handler = prototype[name] as object;
        const paths = pathsOf(Reflect.getMetadata(PATH_METADATA, handler));
        if (paths.length === 0) return [];
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        return pathsOf(Reflect.getMetadata(PATH_METADATA, controller), ['']).flatMap((base) =>
          paths.map((path) => ({
            method: method ?? 'UNKNOWN',
            path: joinPath(base, path),
            where: `${controller.name}.${name}`,
            access: declaredAccess(this.reflector, handler, controller),
            body: this.reflector.get<z.ZodTypeAny | undefined>(BODY_SCHEMA, handler as never),
            query: this.reflector.get<z.AnyZodObject | undefined>(QUERY_SCHEMA, handler as never),
          })),
        );
      });
    });
  }
}

function pathsOf(metadata: unknown, otherwise: string[] = []): string[] {
  if (typeof metadata === 'string') return [metadata];
  if (Array.isArray(metadata)) return metadata.filter((p): p is string => typeof p === 'string');
  return otherwise;
}

function joinPath(base: string, path: string): string {
  const parts = [base, path].map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean);
  return `/${parts.join('/')}`;
}
