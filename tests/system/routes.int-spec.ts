import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { CONSOLE_PERMISSION_KINDS, RouteTable } from '@warden/service-gateway';
import { nestRoutes } from './nest-routes';
import { startGateway } from './system-under-test';

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
      routes.filter((r) => r.access === undefined).map((r) => `${r.method} ${r.url} (${r.where})`),
    ).toEqual([]);
  });

  it('every console route (/api/v1) needs a signed-in administrator and says what of them, or is the sign-in flow', () => {
    const routes = nestRoutes(gateway.app).filter((r) => r.url.startsWith('/api/v1/'));
    const permissions: readonly string[] = CONSOLE_PERMISSION_KINDS;

    const wrong = routes.filter(
      ({ access }) =>
        access?.kind !== 'sign-in' &&
        !(access?.kind === 'console' && permissions.includes(access.permission.kind)),
    );

    expect(routes.length).toBeGreaterThan(20);
    expect(
      wrong.map((r) => `${r.method} ${r.url} (${r.where}): ${JSON.stringify(r.access)}`),
    ).toEqual([]);
    // Administrators, settings and the audit trail are declared for what they are.
    const declared = (method: string, url: string) =>
      routes.find((r) => r.method === method && r.url === url)?.access;
    expect(declared('GET', '/api/v1/administrators')).toEqual({
      kind: 'console',
      permission: { kind: 'super-admin' },
    });
    expect(declared('PATCH', '/api/v1/sites/:siteId')).toEqual({
      kind: 'console',
      permission: { kind: 'site', level: 'admin', from: { param: 'siteId' } },
    });
    // Policies: read by any administrator, changed by a super admin or an admin of some site.
    expect(declared('GET', '/api/v1/policies/:policyId')).toEqual({
      kind: 'console',
      permission: { kind: 'session' },
    });
    for (const [method, url] of [
      ['POST', '/api/v1/policies'],
      ['PATCH', '/api/v1/policies/:policyId'],
      ['DELETE', '/api/v1/policies/:policyId'],
    ] as const) {
      expect(declared(method, url)).toEqual({
        kind: 'console',
        permission: { kind: 'any-site-admin' },
      });
    }
    expect(declared('GET', '/api/v1/sites/:siteId')).toEqual({
      kind: 'console',
      permission: { kind: 'site', level: 'view_only', from: { param: 'siteId' } },
    });
  });

  it('every ops route (/ops/v1) needs the operator token', () => {
    const routes = nestRoutes(gateway.app).filter((r) => r.url.startsWith('/ops/v1/'));

    expect(
      routes.filter((r) => r.access?.kind !== 'ops').map((r) => `${r.method} ${r.url}`),
    ).toEqual([]);
  });

  it('every agent route (/agent/v1) takes a device token or is the enrolment, or a public download', () => {
    const routes = nestRoutes(gateway.app).filter((r) => r.url.startsWith('/agent/v1/'));
    const declared = (method: string, url: string) =>
      routes.find((r) => r.method === method && r.url === url)?.access;

    expect(declared('POST', '/agent/v1/enroll')).toEqual({ kind: 'agent-enrolment' });
    expect(declared('POST', '/agent/v1/checkin')).toEqual({ kind: 'device' });
    expect(
      routes
        .filter(
          ({ access }) =>
            access?.kind !== 'device' &&
            access?.kind !== 'agent-enrolment' &&
            !(access?.kind === 'public' && access.rateLimit),
        )
        .map((r) => `${r.method} ${r.url}: ${JSON.stringify(r.access)}`),
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
