import {
  applyDecorators,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { ApiBearerAuth } from '@nestjs/swagger';
import type { AccessTokenClaims, Caller, ErrorCode } from '@warden/contracts';
import { DomainError } from '@warden/platform';
import type { FastifyRequest } from 'fastify';
import { ApiErrorResponses } from '../http/openapi';
import { CONSOLE_SESSION_STRATEGY } from './console-session.strategy';
import {
  type ConsolePermission,
  ROUTE_ACCESS,
  type RouteAccess,
  type SiteAccessLevel,
  type SiteSource,
} from './route-access';

/** A request on a console route (`@ConsoleSession()`, `@SuperAdmin()`, `@SiteAccess()`, `@AnySiteAdmin()`), once the AccessGuard let it through. */
export type ConsoleRequest = FastifyRequest & { user?: AccessTokenClaims };

/**
 * Passport's check of the console access token. The global AccessGuard runs
 * it on console routes, then the revocation check and the route's permission. A missing,
 * malformed, forged or expired token gets 401 and nothing else: no hint of
 * what was wrong.
 */
@Injectable()
export class ConsoleSessionGuard extends AuthGuard(CONSOLE_SESSION_STRATEGY) {
  override handleRequest<T>(error: unknown, claims: T | false): T {
    if (error || !claims) throw new DomainError('UNAUTHENTICATED', 'authentication required');
    return claims;
  }
}

/** The console declarations' common part: the metadata, the bearer scheme, and what any of them answers. */
function consoleRoute(permission: ConsolePermission, codes: ErrorCode[] = []) {
  const access: RouteAccess = { kind: 'console', permission };
  return applyDecorators(
    SetMetadata(ROUTE_ACCESS, access),
    ApiBearerAuth('console-session'),
    // 401 for a missing, invalid, expired or revoked token; 429 past this client's failures.
    ApiErrorResponses(['UNAUTHENTICATED', 'RATE_LIMITED', ...codes]),
  );
}

/**
 * Marks a route as any signed-in console administrator's: a valid access
 * token of a session that has not ended (the global AccessGuard checks
 * both). For their own account, signing out, and console-wide reads that the
 * service filters by the caller's site access (`Caller.siteAccess`).
 */
export function ConsoleSession(): MethodDecorator & ClassDecorator {
  return consoleRoute({ kind: 'session' });
}

/**
 * Marks a route as a console super admin's: administrators, console
 * settings, the audit trail. An `admin` account (access per site) gets 403
 * FORBIDDEN.
 */
export function SuperAdmin(): MethodDecorator & ClassDecorator {
  return consoleRoute({ kind: 'super-admin' }, ['FORBIDDEN']);
}

/**
 * Marks a route as one that changes what belongs to the whole console and is
 * a site administrator's tool (policies): a super admin, or an `admin` account
 * with `admin` access to at least one site. Anyone else (view-only on every
 * site, or no site) gets 403 FORBIDDEN.
 */
export function AnySiteAdmin(): MethodDecorator & ClassDecorator {
  return consoleRoute({ kind: 'any-site-admin' }, ['FORBIDDEN']);
}

/**
 * Marks a route as one that reads (`view_only`) or changes (`admin`) the site
 * named in the request (`{ param: 'siteId' }`, `{ query: … }`, `{ body: … }`).
 * Super admins pass; an `admin` account needs that level on the site in its
 * token: a site it has no access to is 404 SITE_NOT_FOUND (like one of
 * another console), view-only access to a site this route changes is 403
 * FORBIDDEN. The site id is validated here too (400 VALIDATION_FAILED).
 */
export function SiteAccess(
  level: SiteAccessLevel,
  from: SiteSource,
): MethodDecorator & ClassDecorator {
  return consoleRoute({ kind: 'site', level, from }, ['FORBIDDEN', 'SITE_NOT_FOUND']);
}

/** The claims of the access token of a `@ConsoleSession()` request. */
export function sessionClaimsOf(request: ConsoleRequest): AccessTokenClaims {
  const claims = request.user;
  if (!claims || !('sid' in claims)) {
    throw new DomainError('UNAUTHENTICATED', 'authentication required');
  }
  return claims;
}

/**
 * The caller of a console route: the administrator, their console and their
 * site access, all from the access token — the console id never comes from
 * the path or the body.
 *
 * Services read a caller without `siteAccess` as a super admin (every site),
 * so it follows the account type, not whether the claim is there: an `admin`
 * account always carries its sites (none, if its token lists none), a super
 * admin never does.
 */
export function adminCallerOf(claims: AccessTokenClaims, sourceIp: string): Caller {
  return {
    actor: { type: 'admin', id: claims.sub },
    consoleId: claims.cid,
    ...(claims.typ === 'super_admin' ? {} : { siteAccess: siteAccessOf(claims) }),
    sourceIp,
  };
}

/** The `sites` claim, ids in lower case as the services store and compare them. */
function siteAccessOf(claims: AccessTokenClaims): NonNullable<Caller['siteAccess']> {
  return Object.fromEntries(
    Object.entries(claims.sites ?? {}).map(([siteId, level]) => [siteId.toLowerCase(), level]),
  );
}

export const AdminCaller = createParamDecorator((_: unknown, context: ExecutionContext): Caller => {
  const request = context.switchToHttp().getRequest<ConsoleRequest>();
  return adminCallerOf(sessionClaimsOf(request), request.ip);
});

/** The session (`sid`) of the access token a `@ConsoleSession()` request came with. */
export const SessionId = createParamDecorator(
  (_: unknown, context: ExecutionContext): string =>
    sessionClaimsOf(context.switchToHttp().getRequest<ConsoleRequest>()).sid,
);

/** The caller of a route that needs no sign-in (signing in, activation, recovery). */
export function anonymousCaller(sourceIp: string): Caller {
  return { actor: { type: 'anonymous', id: 'anonymous' }, sourceIp };
}

export const AnonymousCaller = createParamDecorator(
  (_: unknown, context: ExecutionContext): Caller =>
    anonymousCaller(context.switchToHttp().getRequest<FastifyRequest>().ip),
);
