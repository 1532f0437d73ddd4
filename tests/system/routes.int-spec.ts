import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ROUTE_ACCESS, RouteTable } from '@warden/service-gateway';
import { startGateway } from './system-under-test';

interface NestRoute {
  method: string;
  url: string;
  declared: boolean;
  where: string;
}

/** Every route handler of every controller, with whether it (or its class) declares who may call it. */
function nestRoutes(app: NestFastifyApplication): NestRoute[] {
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
        const declared =
          Reflect.getMetadata(ROUTE_ACCESS, handler) !== undefined ||
          Reflect.getMetadata(ROUTE_ACCESS, controller) !== undefined;
        const url = `/${[base, path]
          .map((p) => p.replace(/^\/|\/$/g, ''))
          .filter(Boolean)
          .join('/')}`;
        routes.push({ method: method!, url, declared, where: `${controller.name}.${name}` });
      }
    }
  }
  return routes;
}

describe('every route says who may call it', () => {
  let gateway: { app: NestFastifyApplication; url: string };

  beforeAll(async () => {
    gateway = await startGateway();
  });

  afterAll(async () => {
    await gateway?.app.close();
  });

  it('every controller route declares @Public(), @OpsAuthenticated() or another access', () => {
    const routes = nestRoutes(gateway.app);

    expect(routes.length).toBeGreaterThan(10);
    expect(
      routes.filter((r) => !r.declared).map((r) => `${r.method} ${r.url} (${r.where})`),
    ).toEqual([]);
  });

  it('every other route Fastify serves (the docs) declares its access in its route config', () => {
    const fromControllers = new Set(
      nestRoutes(gateway.app).flatMap((r) => [`${r.method} ${r.url}`, `HEAD ${r.url}`]),
    );
    const all = gateway.app.get(RouteTable).all();

    const undeclared = all.filter(
      (r) => !fromControllers.has(`${r.method} ${r.url}`) && r.access === undefined,
    );

    expect(all.some((r) => r.url.startsWith('/api/docs'))).toBe(true);
    expect(undeclared.map((r) => `${r.method} ${r.url}`)).toEqual([]);
  });
});
