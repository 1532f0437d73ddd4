import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ACCESS_TOKEN } from '@warden/contracts';
import { createLogger, DomainError } from '@warden/platform';
import { generateDevSecrets } from '@warden/testing';
import { sign, type SignOptions } from 'jsonwebtoken';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { SiteResolvers } from '../console/site-resolvers';
import { AgentAdmission } from '../agent/agent-admission';
import type { DeviceDirectory, KnownDevice } from '../agent/device-directory';
import { loadGatewayConfig } from '../config';
import type { RateLimiter } from '../edge/rate-limiter';
import { AccessGuard } from './access.guard';
import {
  adminCallerOf,
  ConsoleSession,
  ConsoleSessionGuard,
  sessionClaimsOf,
  SiteAccess,
  SuperAdmin,
} from './console-auth';
import { ConsoleSessionStrategy } from './console-session.strategy';
import { AgentEnrolment, Device, type DeviceRequest } from './device-auth';
import { OpsAuthenticated, type OpsTokenGuard } from './ops-auth';
import { Public, PublicSignIn } from './route-access';
import type { SessionRevocations } from './session-revocations';

class Routes {
  undeclared(): void {}
  @AgentEnrolment()
  enrol(): void {}
  @Device()
  checkin(): void {}
  @Public()
  open(): void {}
  @Public({ rateLimit: false })
  probe(): void {}
  @PublicSignIn()
  signIn(): void {}
  @OpsAuthenticated()
  operatorsOnly(): void {}
  @ConsoleSession()
  administratorsOnly(): void {}
  @SuperAdmin()
  superAdminsOnly(): void {}
  @SiteAccess('view_only', { param: 'siteId' })
  readSite(): void {}
  @SiteAccess('admin', { param: 'siteId' })
  changeSite(): void {}
  @SiteAccess('view_only', { query: 'siteId' })
  readSiteOfQuery(): void {}
  @SiteAccess('admin', { body: 'siteId' })
  changeSiteOfBody(): void {}
}

interface FakeRequest {
  ip: string;
  routeOptions: { url: string };
  headers: Record<string, string>;
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  user?: unknown;
}

function contextFor(
  handler: keyof Routes,
  headers: Record<string, string> = {},
  parts: Pick<FakeRequest, 'params' | 'query' | 'body'> = {},
) {
  const response = new EventEmitter();
  const request: FakeRequest = {
    ip: '192.0.2.1',
    routeOptions: { url: `/${handler}` },
    headers,
    ...parts,
  };
  const context = {
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => ({ raw: response }) }),
  } as unknown as ExecutionContext;
  return { context, request, response };
}

const secrets = generateDevSecrets();
const config = loadGatewayConfig({
  ACCESS_TOKEN_VERIFY_KEY: secrets.accessTokenVerifyKey,
  AGENT_MAX_IN_FLIGHT: '3',
  AGENT_ENROL_MAX_IN_FLIGHT: '2',
  AGENT_DEVICE_BURST: '3',
});
// Registers the strategy with passport, as Nest does when it builds the module.
new ConsoleSessionStrategy(config);

const ADMIN = randomUUID();
const CONSOLE = randomUUID();
const SITE = randomUUID();

/** An access token as identity signs one; `overrides` break one thing about it. */
function accessToken(
  overrides: { claims?: Record<string, unknown>; options?: SignOptions; key?: string } = {},
): string {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    sub: ADMIN,
    cid: CONSOLE,
    sid: randomUUID(),
    typ: 'admin',
    sites: { [SITE]: 'view_only' },
    iat: now,
    exp: now + 600,
    ...overrides.claims,
  };
  return sign(
    // A claim set to undefined is one the token leaves out.
    Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined)),
    overrides.key ?? secrets.accessTokenSigningKey,
    {
      algorithm: ACCESS_TOKEN.algorithm,
      issuer: ACCESS_TOKEN.issuer,
      audience: ACCESS_TOKEN.audience,
      ...overrides.options,
    },
  );
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('AccessGuard', () => {
  const charged: string[] = [];
  const limiter = {
    chargePublic: (ip: string) => Promise.resolve(void charged.push(`public ${ip}`)),
    chargeSignIn: (ip: string) => Promise.resolve(void charged.push(`sign-in ${ip}`)),
    chargeOperator: (fp: string, ip: string) =>
      Promise.resolve(void charged.push(`ops ${fp} ${ip}`)),
    chargeAuthFailure: (ip: string) => Promise.resolve(void charged.push(`authfail ${ip}`)),
  } as unknown as RateLimiter;
  let tokenValid = true;
  const opsToken = {
    canActivate: (context: ExecutionContext) => {
      if (!tokenValid) throw new DomainError('UNAUTHENTICATED', 'authentication required');
      const request = context.switchToHttp().getRequest<{ user?: object }>();
      request.user = { fingerprint: 'op_123456789abc' };
      return Promise.resolve(true);
    },
  } as unknown as OpsTokenGuard;
  const revoked = new Set<string>();
  const revocations = {
    isRevoked: (sid: string) => Promise.resolve(revoked.has(sid)),
  } as unknown as SessionRevocations;
  const knownDevices = new Map<string, KnownDevice>();
  const devices = {
    find: (deviceId: string) =>
      knownDevices.size % 2 === 0
        ? (knownDevices.get(deviceId) ?? null)
        : Promise.resolve(knownDevices.get(deviceId) ?? null),
  } as unknown as DeviceDirectory;
  const sut = new AccessGuard(
    new Reflector(),
    opsToken,
    new ConsoleSessionGuard(),
    revocations,
    limiter,
    new AgentAdmission(config),
    devices,
    {} as SiteResolvers,
    createLogger('test', 'fatal'),
  );

  beforeEach(() => {
    charged.length = 0;
    tokenValid = true;
    revoked.clear();
  });

  describe('agents', () => {
    // A check-in of a known device is decided without a promise: sync throws become rejections here.
    const activate = (context: ExecutionContext) =>
      Promise.resolve().then(() => sut.canActivate(context));
    const enrolled = (): { token: string; device: KnownDevice } => {
      const deviceId = randomUUID();
      const secret = randomBytes(32).toString('base64url');
      const device: KnownDevice = {
        deviceId,
        consoleId: CONSOLE,
        siteId: SITE,
        policyId: randomUUID(),
        tokenSha256: createHash('sha256').update(secret).digest(),
      };
      knownDevices.set(deviceId, device);
      return { token: `${deviceId}.${secret}`, device };
    };

    it('lets a device with its token through, charging nothing in Redis', async () => {
      const { token, device } = enrolled();
      const { context, request, response } = contextFor('checkin', bearer(token));

      await expect(activate(context)).resolves.toBe(true);
      response.emit('close');

      expect((request as DeviceRequest).device).toBe(device);
      expect(charged).toEqual([]);
    });

    it.each<[string, (token: string) => string]>([
      ['no token', () => ''],
      ['a malformed token', (token) => token.slice(0, -1)],
      ['an unknown device', (token) => `${randomUUID()}.${token.split('.')[1]}`],
      [
        'a wrong secret',
        (token) => `${token.split('.')[0]}.${randomBytes(32).toString('base64url')}`,
      ],
    ])('refuses %s with DEVICE_TOKEN_INVALID, charging nothing', async (_, tamper) => {
      const { token } = enrolled();
      const headers = tamper(token) ? bearer(tamper(token)) : {};
      const { context, response } = contextFor('checkin', headers);

      await expect(activate(context)).rejects.toMatchObject({
        code: 'DEVICE_TOKEN_INVALID',
      });
      response.emit('close');
      expect(charged).toEqual([]);
    });

    it('refuses a device past its bucket with 429 and when to come back', async () => {
      const { token } = enrolled();
      for (let i = 0; i < 3; i++) {
        const { context, response } = contextFor('checkin', bearer(token));
        await activate(context);
        response.emit('close');
      }
      const { context, response } = contextFor('checkin', bearer(token));

      const refusal = await activate(context).catch((error: DomainError) => error);
      response.emit('close');

      expect(refusal).toMatchObject({ code: 'RATE_LIMITED' });
      expect((refusal as DomainError).logContext?.['retryAfterSeconds']).toBeGreaterThanOrEqual(10);
    });

    it('refuses with 503 past the requests in flight, and admits again once one ends', async () => {
      const open = [0, 1, 2].map(() => contextFor('checkin', bearer(enrolled().token)));
      for (const { context } of open) await activate(context);

      await expect(
        activate(contextFor('checkin', bearer(enrolled().token)).context),
      ).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
      open[0]!.response.emit('close');
      const again = contextFor('checkin', bearer(enrolled().token));
      await expect(activate(again.context)).resolves.toBe(true);

      for (const { response } of [...open.slice(1), again]) response.emit('close');
    });

    it('admits enrolments up to their own limit, not charged per IP', async () => {
      const first = contextFor('enrol');
      const second = contextFor('enrol');
      await activate(first.context);
      await activate(second.context);

      await expect(activate(contextFor('enrol').context)).rejects.toMatchObject({
        code: 'SERVICE_UNAVAILABLE',
      });
      first.response.emit('close');
      second.response.emit('close');
      expect(charged).toEqual([]);
    });
  });

  it('denies a route that declares nothing', async () => {
    await expect(sut.canActivate(contextFor('undeclared').context)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('lets anyone call a public route, counted per IP unless it is a probe', async () => {
    await expect(sut.canActivate(contextFor('open').context)).resolves.toBe(true);
    await expect(sut.canActivate(contextFor('probe').context)).resolves.toBe(true);

    expect(charged).toEqual(['public 192.0.2.1']);
  });

  it('counts a sign-in route in the sign-in bucket only', async () => {
    await expect(sut.canActivate(contextFor('signIn').context)).resolves.toBe(true);

    expect(charged).toEqual(['sign-in 192.0.2.1']);
  });

  it('counts an operator per token, and a failed authentication per IP', async () => {
    await expect(sut.canActivate(contextFor('operatorsOnly').context)).resolves.toBe(true);
    tokenValid = false;
    await expect(sut.canActivate(contextFor('operatorsOnly').context)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });

    expect(charged).toEqual(['ops op_123456789abc 192.0.2.1', 'authfail 192.0.2.1']);
  });

  describe('console sessions', () => {
    it('lets a valid access token through; the caller comes from its claims alone', async () => {
      const { context, request } = contextFor('administratorsOnly', bearer(accessToken()));

      await expect(sut.canActivate(context)).resolves.toBe(true);

      const claims = sessionClaimsOf(request as never);
      expect(adminCallerOf(claims, request.ip)).toEqual({
        actor: { type: 'admin', id: ADMIN },
        consoleId: CONSOLE,
        siteAccess: { [SITE]: 'view_only' },
        sourceIp: '192.0.2.1',
      });
      expect(charged).toEqual([]);
    });

    it('gives a super admin (no per-site claims) a caller without site limits', async () => {
      const token = accessToken({ claims: { typ: 'super_admin', sites: undefined } });
      const { context, request } = contextFor('administratorsOnly', bearer(token));

      await sut.canActivate(context);

      const caller = adminCallerOf(sessionClaimsOf(request as never), request.ip);
      expect(caller).not.toHaveProperty('siteAccess');
      expect(caller.consoleId).toBe(CONSOLE);
    });

    const now = Math.floor(Date.now() / 1000);
    const tampered = (() => {
      const [header, , signature] = accessToken().split('.');
      const payload = Buffer.from(
        JSON.stringify({ sub: ADMIN, cid: randomUUID(), sid: randomUUID(), typ: 'super_admin' }),
      ).toString('base64url');
      return `${header}.${payload}.${signature}`;
    })();
    const unsigned = (() => {
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      const payload = accessToken().split('.')[1];
      return `${header}.${payload}.`;
    })();

    it.each<[string, Record<string, string>]>([
      ['no token', {}],
      ['another scheme', { authorization: `Basic ${accessToken()}` }],
      [
        'a token signed with another key',
        bearer(accessToken({ key: generateDevSecrets().accessTokenSigningKey })),
      ],
      [
        'a token for another audience',
        bearer(accessToken({ options: { audience: 'warden-agent' } })),
      ],
      ['a token from another issuer', bearer(accessToken({ options: { issuer: 'someone-else' } }))],
      ['an expired token', bearer(accessToken({ claims: { iat: now - 1000, exp: now - 10 } }))],
      ['a token without an expiry', bearer(accessToken({ claims: { exp: undefined } }))],
      [
        'a token that claims to live longer than an access token may',
        bearer(accessToken({ claims: { exp: now + ACCESS_TOKEN.maxLifetimeSeconds + 60 } })),
      ],
      ['a tampered token', bearer(tampered)],
      ['an unsigned token (alg none)', bearer(unsigned)],
      [
        'an HS256 token keyed with the public key',
        bearer(sign({ sub: ADMIN }, secrets.accessTokenVerifyKey, { algorithm: 'HS256' })),
      ],
      ['claims of the wrong shape', bearer(accessToken({ claims: { cid: 'console-1' } }))],
      ['an opaque string', bearer('not-a-jwt-at-all')],
    ])('refuses %s with 401, charged to the address', async (_, headers) => {
      const { context, request } = contextFor('administratorsOnly', headers);

      await expect(sut.canActivate(context)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });

      expect(request.user ?? undefined).toBeUndefined();
      expect(charged).toEqual(['authfail 192.0.2.1']);
    });

    it('refuses a token of a revoked session with 401, charged to the address', async () => {
      const sid = randomUUID();
      revoked.add(sid);
      const { context, request } = contextFor(
        'administratorsOnly',
        bearer(accessToken({ claims: { sid } })),
      );

      await expect(sut.canActivate(context)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });

      expect(request.user).toBeUndefined();
      expect(charged).toEqual(['authfail 192.0.2.1']);
    });
  });
  describe('console permissions, once signed in', () => {
    const OTHER_SITE = randomUUID();
    const superAdmin = () =>
      bearer(accessToken({ claims: { typ: 'super_admin', sites: undefined } }));
    const siteAdmin = (sites: Record<string, string>) =>
      bearer(accessToken({ claims: { typ: 'admin', sites } }));
    const outcome = async (
      handler: keyof Routes,
      headers: Record<string, string>,
      parts: Pick<FakeRequest, 'params' | 'query' | 'body'> = {},
    ): Promise<string> => {
      try {
        await sut.canActivate(contextFor(handler, headers, parts).context);
        return 'OK';
      } catch (error) {
        return (error as DomainError).code;
      }
    };

    it('lets only a super admin through a @SuperAdmin() route: 403 for an admin account', async () => {
      expect(await outcome('superAdminsOnly', superAdmin())).toBe('OK');
      expect(await outcome('superAdminsOnly', siteAdmin({ [SITE]: 'admin' }))).toBe('FORBIDDEN');
      // A refusal of a signed-in caller is no failed authentication.
      expect(charged).toEqual([]);
    });

    it('lets any signed-in administrator through a @ConsoleSession() route', async () => {
      expect(await outcome('administratorsOnly', siteAdmin({}))).toBe('OK');
    });

    it('reads a site with view-only or admin access to it, and never learns of another', async () => {
      const params = (siteId: string) => ({ params: { siteId } });

      expect(await outcome('readSite', siteAdmin({ [SITE]: 'view_only' }), params(SITE))).toBe(
        'OK',
      );
      expect(await outcome('readSite', siteAdmin({ [SITE]: 'admin' }), params(SITE))).toBe('OK');
      expect(
        await outcome('readSite', siteAdmin({ [SITE]: 'view_only' }), params(SITE.toUpperCase())),
      ).toBe('OK');
      expect(
        await outcome('readSite', siteAdmin({ [SITE.toUpperCase()]: 'view_only' }), params(SITE)),
      ).toBe('OK');
      expect(await outcome('readSite', siteAdmin({ [SITE]: 'admin' }), params(OTHER_SITE))).toBe(
        'SITE_NOT_FOUND',
      );
      expect(await outcome('readSite', siteAdmin({}), params(SITE))).toBe('SITE_NOT_FOUND');
      expect(await outcome('readSite', superAdmin(), params(OTHER_SITE))).toBe('OK');
    });

    it('changes a site only with admin access to it: view-only is 403, no access 404', async () => {
      const params = { params: { siteId: SITE } };

      expect(await outcome('changeSite', siteAdmin({ [SITE]: 'admin' }), params)).toBe('OK');
      expect(await outcome('changeSite', siteAdmin({ [SITE]: 'view_only' }), params)).toBe(
        'FORBIDDEN',
      );
      expect(await outcome('changeSite', siteAdmin({ [OTHER_SITE]: 'admin' }), params)).toBe(
        'SITE_NOT_FOUND',
      );
      expect(await outcome('changeSite', superAdmin(), params)).toBe('OK');
    });

    it('answers a site it hides exactly as licensing answers a site it does not have', async () => {
      const { context } = contextFor('readSite', siteAdmin({}), { params: { siteId: SITE } });

      await expect(sut.canActivate(context)).rejects.toMatchObject({
        code: 'SITE_NOT_FOUND',
        message: 'no such site',
        details: { siteId: SITE },
      });
    });

    it('finds the site in the query or the body where the route says so', async () => {
      const viewer = siteAdmin({ [SITE]: 'view_only' });

      expect(await outcome('readSiteOfQuery', viewer, { query: { siteId: SITE } })).toBe('OK');
      expect(await outcome('readSiteOfQuery', viewer, { params: { siteId: SITE } })).toBe(
        'VALIDATION_FAILED',
      );
      expect(await outcome('changeSiteOfBody', viewer, { body: { siteId: SITE } })).toBe(
        'FORBIDDEN',
      );
      expect(
        await outcome('changeSiteOfBody', siteAdmin({ [SITE]: 'admin' }), {
          body: { siteId: SITE },
        }),
      ).toBe('OK');
    });

    it('refuses a missing or malformed site id as the route’s validation would, for anyone', async () => {
      for (const headers of [superAdmin(), siteAdmin({ [SITE]: 'admin' })]) {
        expect(await outcome('readSite', headers, {})).toBe('VALIDATION_FAILED');
        expect(await outcome('readSite', headers, { params: { siteId: 'not-a-site' } })).toBe(
          'VALIDATION_FAILED',
        );
        expect(await outcome('changeSiteOfBody', headers, { body: ['siteId'] })).toBe(
          'VALIDATION_FAILED',
        );
        expect(await outcome('changeSiteOfBody', headers, { body: { constructor: SITE } })).toBe(
          'VALIDATION_FAILED',
        );
      }
    });

    it('gives an admin account a caller limited to its sites even when its token lists none', async () => {
      const { context, request } = contextFor(
        'administratorsOnly',
        bearer(accessToken({ claims: { typ: 'admin', sites: undefined } })),
      );

      await sut.canActivate(context);

      expect(adminCallerOf(sessionClaimsOf(request as never), request.ip).siteAccess).toEqual({});
    });

    it('passes services no site limits a super admin’s token might carry', async () => {
      const { context, request } = contextFor(
        'administratorsOnly',
        bearer(accessToken({ claims: { typ: 'super_admin', sites: { [SITE]: 'view_only' } } })),
      );

      await sut.canActivate(context);

      expect(adminCallerOf(sessionClaimsOf(request as never), request.ip)).not.toHaveProperty(
        'siteAccess',
      );
    });
  });
});
