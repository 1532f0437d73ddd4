import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { BODY_SCHEMA, ROUTE_ACCESS, type RouteAccess } from '@warden/service-gateway';

/** A route of a controller of the gateway, read from its decorators as registered. */
export interface NestRoute {
  method: string;
  /** `/api/v1/sites/:siteId` */
  url: string;
  /** The route's declaration, or its controller's. */
  access: RouteAccess | undefined;
  /** Whether the route takes a JSON body (`@ApiZodBody`). */
  takesBody: boolean;
  /** `Controller.method`, for failure lists. */
  where: string;
}

/**
 * Every route handler of every controller of the running gateway, walked
 * from Nest's modules here (not from the gateway's own check), so that a
 * route the gateway's walk missed is still found.
 */
export function nestRoutes(app: NestFastifyApplication): NestRoute[] {
  const scanner = new MetadataScanner();
  const routes: NestRoute[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!controller) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name] as object;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        if (path === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        const access = (Reflect.getMetadata(ROUTE_ACCESS, handler) ??
          Reflect.getMetadata(ROUTE_ACCESS, controller)) as RouteAccess | undefined;
        const url = `/${[base, path]
          .map((p) => p.replace(/^\/|\/$/g, ''))
          .filter(Boolean)
          .join('/')}`;
        routes.push({
          method: method!,
          url,
          access,
          takesBody: Reflect.getMetadata(BODY_SCHEMA, handler) !== undefined,
          where: `${controller.name}.${name}`,
        });
      }
    }
  }
  return routes;
}

/** The names of a route's path parameters: `/a/:siteId/b/:id` → `['siteId', 'id']`. */
export function pathParams(url: string): string[] {
  return url
    .split('/')
    .filter((segment) => segment.startsWith(':'))
    .map((segment) => segment.slice(1));
}

/** `url` with each `:name` replaced by `values[name]`; throws naming one it has no value for. */
export function fillPath(url: string, values: Record<string, string>): string {
  return url.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for :${name} in ${url}`);
    return encodeURIComponent(value);
  });
}
