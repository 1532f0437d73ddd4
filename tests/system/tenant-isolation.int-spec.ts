import {
  type Administrator,
  type AuditEventView,
  BUILTIN_POLICY_IDS,
  type Command,
  type ConsoleDetail,
  type EndpointDetail,
  type Group,
  type PolicyDetail,
  type Session,
  type Site,
} from '@warden/contracts';
import { randomBytes, randomUUID } from 'node:crypto';
import { type Account, consoleStack } from './console-client';
import { enrol } from './endpoints-harness';
import {
  CONSOLE_ROUTE_BODIES,
  isConsoleRoute,
  routeHeaders,
  routeKey,
  routesWithoutBodies,
} from './console-routes';
import { fillPath, nestRoutes, pathParams } from './nest-routes';
import { newAdministrator } from './system-under-test';

/*
 * Tenant isolation through the gateway (issue 9, DESIGN §6): the console of a
 * console request is the token's, never the path's or the body's, and every
 * id of another console reads as not found — on every route, found by walking
 * the routes the gateway registered, so a route added later is covered too.
 */

const TOKEN = `isolation-operator-token-${randomUUID()}`;

interface Tenant {
  account: Account;
  session: Session;
  /** Path ids of this console's objects, by parameter name. */
  ids: Record<string, string>;
}

describe('two consoles: nothing of one is reachable from the other', () => {
  const { system, client } = consoleStack(TOKEN);
  const { call } = client;
  let a: Tenant;
  let b: Tenant;

  /**
   * A console whose super admin has signed in, with a second site, a second
   * administrator, a 2FA setup under way, policies, an enrolled endpoint and a
   * group: one object for each kind of id a console route names.
   */
  const tenant = async (): Promise<Tenant> => {
    const account = await client.register();
    const session = await client.signIn(account);
    const token = session.accessToken;
    const site = await call<Site>('POST', `/ops/v1/consoles/${account.consoleId}/sites`, {
      token: TOKEN,
      headers: { 'idempotency-key': randomUUID() },
      body: { name: 'Branch', seats: 3 },
    });
    const other = await call<Administrator>('POST', '/api/v1/administrators', {
      token,
      headers: { 'idempotency-key': randomUUID() },
      body: { ...newAdministrator(), accountType: 'admin', siteAccess: {} },
    });
    const setup = await call<{ setupId: string }>('POST', '/api/v1/me/2fa/setup', {
      token,
      body: CONSOLE_ROUTE_BODIES['POST /api/v1/me/2fa/setup']!(),
    });
    const policies = await Promise.all(
      ['Laptops', 'Servers'].map((name) =>
        call<PolicyDetail>('POST', '/api/v1/policies', {
          token,
          headers: { 'idempotency-key': randomUUID() },
          body: {
            sourcePolicyId: BUILTIN_POLICY_IDS.recommended_defaults,
            name,
            description: `${name} of this console`,
          },
        }),
      ),
    );
    const endpoint = await enrol(call, site.body.keycode, { hostname: 'isolated-pc' });
    const group = await call<Group>('POST', `/api/v1/sites/${site.body.id}/groups`, {
      token,
      body: { name: 'Isolated' },
    });
    const command = await call<Command>('POST', `/api/v1/endpoints/${endpoint.deviceId}/commands`, {
      token,
      body: { type: 'scan' },
    });
    expect([
      site.status,
      other.status,
      setup.status,
      ...policies.map((p) => p.status),
      group.status,
      command.status,
    ]).toEqual([201, 201, 201, 201, 201, 201, 201]);
    return {
      account,
      session,
      ids: {
        siteId: site.body.id,
        administratorId: other.body.id,
        setupId: setup.body.setupId,
        policyId: policies[0]!.body.id,
        otherPolicyId: policies[1]!.body.id,
        endpointId: endpoint.deviceId,
        groupId: group.body.id,
        commandId: command.body.id,
        bulkId: command.body.bulkId,
      },
    };
  };

  beforeAll(async () => {
    [a, b] = await Promise.all([tenant(), tenant()]);
  });

  const consoleRoutes = () => nestRoutes(system.app()).filter(isConsoleRoute);

  it('answers every console route that names an id of the other console with its *_NOT_FOUND', async () => {
    const routes = consoleRoutes().filter((r) => pathParams(r.url).length > 0);
    // A route with a new kind of id: give `tenant()` an object of that kind and its id.
    const unknownParams = routes.flatMap((r) =>
      pathParams(r.url)
        .filter((name) => !(name in b.ids))
        .map((name) => `${routeKey(r)}: no id of the other console for :${name}`),
    );
    expect(unknownParams).toEqual([]);
    expect(routesWithoutBodies(routes)).toEqual([]);
    expect(routes.length).toBeGreaterThanOrEqual(12);

    const answers: string[] = [];
    for (const route of routes) {
      const reply = await call(route.method, fillPath(route.url, b.ids), {
        token: a.session.accessToken,
        headers: routeHeaders(route),
        body: CONSOLE_ROUTE_BODIES[routeKey(route)]?.(),
      });
      answers.push(`${routeKey(route)} → ${reply.status} ${reply.body.error?.code ?? ''}`);
    }

    // Never 2xx, never 403 (which would say the object exists): not found, by its own code.
    expect(answers.filter((answer) => !/ → 404 [A-Z_]+_NOT_FOUND$/.test(answer))).toEqual([]);
  });

  it('left the other console’s objects as they were, and they are there for their own console', async () => {
    const token = b.session.accessToken;

    const site = await call<Site>('GET', `/api/v1/sites/${b.ids['siteId']}`, { token });
    const admin = await call<Administrator>(
      'GET',
      `/api/v1/administrators/${b.ids['administratorId']}`,
      { token },
    );
    const settings = await call<ConsoleDetail>('GET', '/api/v1/settings', { token });
    const cancelled = await call('DELETE', `/api/v1/me/2fa/setup/${b.ids['setupId']}`, { token });
    const endpoint = await call<EndpointDetail>('GET', `/api/v1/endpoints/${b.ids['endpointId']}`, {
      token,
    });
    const groups = await call<{ items: Group[] }>(
      'GET',
      `/api/v1/sites/${b.ids['siteId']}/groups`,
      { token },
    );
    const command = await call<Command>('GET', `/api/v1/commands/${b.ids['commandId']}`, {
      token,
    });

    expect(site.status).toBe(200);
    expect(site.body.comment).toBe('');
    expect(admin.status).toBe(200);
    expect(admin.body).toMatchObject({ firstName: 'Hanako', state: 'invited' });
    expect(settings.body.console.name).not.toBe('Taken over KK');
    expect(cancelled.status).toBe(204);
    expect(endpoint.status).toBe(200);
    expect(endpoint.body).toMatchObject({ ownPolicyId: null, groupName: 'Default group' });
    expect(groups.body.items.map((g) => [g.name, g.policyId, g.endpointCount])).toEqual([
      ['Default group', null, 1],
      ['Isolated', null, 0],
      ['Deactivated devices', null, 0],
    ]);
    expect(command.body).toMatchObject({ type: 'scan', state: 'pending' });
  });

  it('takes the console from the token only: a consoleId in the query or the body is refused', async () => {
    const routes = consoleRoutes();
    // A's own ids (a setup id that merely looks right): only the stray consoleId is wrong.
    const ids = { ...a.ids, setupId: randomBytes(24).toString('base64url') };
    const refusals: string[] = [];

    for (const route of routes) {
      const path = fillPath(route.url, ids);
      const options = { token: a.session.accessToken, headers: routeHeaders(route) };
      const body = CONSOLE_ROUTE_BODIES[routeKey(route)]?.();
      const inQuery = await call(route.method, `${path}?consoleId=${b.account.consoleId}`, {
        ...options,
        body,
      });
      refusals.push(`${routeKey(route)} ?consoleId → ${inQuery.status} ${issuePaths(inQuery)}`);
      if (route.takesBody) {
        const inBody = await call(route.method, path, {
          ...options,
          body: { ...(body as object), consoleId: b.account.consoleId },
        });
        refusals.push(`${routeKey(route)} body.consoleId → ${inBody.status} ${issuePaths(inBody)}`);
      }
    }

    expect(refusals.length).toBeGreaterThan(routes.length);
    expect(refusals.filter((line) => !line.endsWith(' → 400 consoleId'))).toEqual([]);
  });

  it('lists only the caller’s console: administrators, settings and sites, audit events', async () => {
    const token = a.session.accessToken;

    const administrators = await call<{ items: Administrator[] }>(
      'GET',
      '/api/v1/administrators?limit=200',
      { token },
    );
    const settings = await call<ConsoleDetail>('GET', '/api/v1/settings', { token });
    const audit = await call<{ items: AuditEventView[] }>(
      'GET',
      `/api/v1/audit-events?limit=200&siteId=${b.ids['siteId']}`,
      { token },
    );
    const everything = await call<{ items: AuditEventView[] }>(
      'GET',
      '/api/v1/audit-events?limit=200',
      { token },
    );
    const verify = await call<{ consoleId: string }>('GET', '/api/v1/audit-events/verify', {
      token,
    });

    expect(administrators.body.items.map((x) => x.id).sort()).toEqual(
      [a.account.administratorId, a.ids['administratorId']].sort(),
    );
    expect(settings.body.console.id).toBe(a.account.consoleId);
    expect(settings.body.sites.map((s) => s.id)).toContain(a.ids['siteId']);
    expect(settings.body.sites.map((s) => s.consoleId)).toEqual(
      settings.body.sites.map(() => a.account.consoleId),
    );
    expect(audit.status).toBe(200);
    expect(audit.body.items).toEqual([]);
    expect(new Set(everything.body.items.map((e) => e.consoleId))).toEqual(
      new Set(everything.body.items.length > 0 ? [a.account.consoleId] : []),
    );
    expect(verify.body.consoleId).toBe(a.account.consoleId);
  });
});

/** The fields a VALIDATION_FAILED names, joined (or the error code when it names none). */
function issuePaths(reply: {
  body: { error?: { code: string; details?: Record<string, unknown> } };
}): string {
  const issues = (reply.body.error?.details?.['issues'] ?? []) as { path: string }[];
  return issues.length > 0 ? issues.map((i) => i.path).join(',') : (reply.body.error?.code ?? '');
}
