import { Body, Controller, Get, type INestApplication, Param, Patch, Post } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { z } from 'zod';
import { ApiZodBody, ApiZodQuery } from '../http/openapi';
import { ConsoleSession, SiteAccess, SuperAdmin } from './console-auth';
import { OpsAuthenticated } from './ops-auth';
import { Public, PublicSignIn } from './route-access';
import { type DeclaredRoute, RouteAccessCheck, routeAccessProblems } from './route-access.check';

@ConsoleSession()
@Controller('api/v1/things')
class DeclaredController {
  @Get()
  list(): void {}

  @Get(':siteId')
  @SiteAccess('view_only', { param: 'siteId' })
  get(@Param('siteId') _siteId: string): void {}

  @Post()
  @SuperAdmin()
  add(): void {}
}

@Controller('api/v1/forgotten')
class ForgetfulController {
  @Get()
  @ConsoleSession()
  declared(): void {}

  @Patch(':id')
  undeclared(@Param('id') _id: string, @Body() _body: unknown): void {}
}

/** A Nest application of these controllers with the gateway's check, initialised as `listen()` would. */
async function bootstrap(...controllers: (new () => object)[]): Promise<INestApplication> {
  const module = await Test.createTestingModule({
    imports: [DiscoveryModule],
    controllers,
    providers: [RouteAccessCheck],
  }).compile();
  const app = module.createNestApplication(new FastifyAdapter(), { logger: false });
  try {
    await app.init();
  } catch (error) {
    await app.close();
    throw error;
  }
  return app;
}

describe('RouteAccessCheck: the gateway does not start with an undeclared route', () => {
  it('starts when every route declares who may call it', async () => {
    const app = await bootstrap(DeclaredController);

    expect(
      app
        .get(RouteAccessCheck)
        .routes()
        .map((r) => [r.method, r.path, r.access?.kind]),
    ).toEqual([
      ['GET', '/api/v1/things', 'console'],
      ['GET', '/api/v1/things/:siteId', 'console'],
      ['POST', '/api/v1/things', 'console'],
    ]);
    await app.close();
  });

  it('refuses to start with a route that declares nothing, naming it', async () => {
    await expect(bootstrap(DeclaredController, ForgetfulController)).rejects.toThrow(
      /PATCH \/api\/v1\/forgotten\/:id \(ForgetfulController\.undeclared\): declares no access/,
    );
  });
});

describe('routeAccessProblems', () => {
  const route = (overrides: Partial<DeclaredRoute>): DeclaredRoute => ({
    method: 'GET',
    path: '/api/v1/sites/:siteId',
    where: 'Sites.get',
    access: { kind: 'console', permission: { kind: 'session' } },
    body: undefined,
    query: undefined,
    ...overrides,
  });
  const site = (from: { param: string } | { query: string } | { body: string }) =>
    ({
      kind: 'console',
      permission: { kind: 'site', level: 'admin', from },
    }) as const;

  it('finds nothing wrong with routes declared as their API takes them', () => {
    expect(
      routeAccessProblems([
        route({}),
        route({ access: site({ param: 'siteId' }) }),
        route({
          path: '/api/v1/policies',
          access: { kind: 'console', permission: { kind: 'any-site-admin' } },
        }),
        route({ path: '/api/v1/auth/login', access: { kind: 'sign-in' } }),
        route({ path: '/ops/v1/consoles', access: { kind: 'ops' } }),
        route({ path: '/health', access: { kind: 'public', rateLimit: true } }),
        route({
          path: '/api/v1/reports',
          access: site({ query: 'siteId' }),
          query: z.object({ siteId: z.string() }).strict(),
        }),
        route({
          path: '/api/v1/reports',
          access: site({ body: 'siteId' }),
          body: z
            .object({ siteId: z.string() })
            .strict()
            .refine(() => true),
        }),
      ]),
    ).toEqual([]);
  });

  it('names a route without a declaration', () => {
    expect(routeAccessProblems([route({ access: undefined })])).toEqual([
      'GET /api/v1/sites/:siteId (Sites.get): declares no access (@Public, @OpsAuthenticated, @SuperAdmin, …)',
    ]);
  });

  it('refuses a kind of access the API does not take: an ops token on the console API, and back', () => {
    expect(
      routeAccessProblems([
        route({ access: { kind: 'ops' } }),
        route({ path: '/api/v1/open', access: { kind: 'public', rateLimit: true } }),
        route({ path: '/ops/v1/consoles' }),
      ]),
    ).toEqual([
      'GET /api/v1/sites/:siteId (Sites.get): /api/v1/ takes console or sign-in access, not ops',
      'GET /api/v1/open (Sites.get): /api/v1/ takes console or sign-in access, not public',
      'GET /ops/v1/consoles (Sites.get): /ops/v1/ takes ops access, not console',
    ]);
  });

  it('refuses a console permission the AccessGuard does not check', () => {
    const unknown = { kind: 'console', permission: { kind: 'site-owner' } } as unknown;

    expect(routeAccessProblems([route({ access: unknown as DeclaredRoute['access'] })])).toEqual([
      'GET /api/v1/sites/:siteId (Sites.get): asks for console permission site-owner, which nothing checks',
    ]);
  });

  it('refuses a site permission read from where the route has nothing', () => {
    expect(
      routeAccessProblems([
        route({ access: site({ param: 'site' }) }),
        route({ access: site({ query: 'siteId' }), query: z.object({ site: z.string() }) }),
        route({ access: site({ body: 'siteId' }) }),
      ]),
    ).toEqual([
      'GET /api/v1/sites/:siteId (Sites.get): its site is in path parameter :site, which the path lacks',
      'GET /api/v1/sites/:siteId (Sites.get): its site is in query parameter siteId, which @ApiZodQuery lacks',
      'GET /api/v1/sites/:siteId (Sites.get): its site is in body property siteId, which @ApiZodBody lacks',
    ]);
  });

  it('reads the declarations of decorated handlers, the method’s over its controller’s', async () => {
    @OpsAuthenticated()
    @Controller('mixed')
    class MixedController {
      @Get()
      list(): void {}

      @Post('public')
      @Public()
      open(): void {}

      @Post('sign-in')
      @PublicSignIn()
      @ApiZodBody(z.object({ siteId: z.string() }).strict())
      signIn(): void {}

      @Get('query')
      @ApiZodQuery(z.object({ siteId: z.string() }).strict())
      query(): void {}
    }
    const app = await bootstrap(MixedController);

    const routes = app.get(RouteAccessCheck).routes();

    expect(routes.map((r) => [r.method, r.path, r.access?.kind])).toEqual([
      ['GET', '/mixed', 'ops'],
      ['POST', '/mixed/public', 'public'],
      ['POST', '/mixed/sign-in', 'sign-in'],
      ['GET', '/mixed/query', 'ops'],
    ]);
    expect(routes.map((r) => [r.body !== undefined, r.query !== undefined])).toEqual([
      [false, false],
      [false, false],
      [true, false],
      [false, true],
    ]);
    expect(routeAccessProblems(routes)).toEqual([]);
    await app.close();
  });
});
