import {
  applyDecorators,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { ApiBearerAuth } from '@nestjs/swagger';
import type { AccessTokenClaims, Caller } from '@warden/contracts';
import { DomainError } from '@warden/platform';
import type { FastifyRequest } from 'fastify';
import { ApiErrorResponses } from '../http/openapi';
import { CONSOLE_SESSION_STRATEGY } from './console-session.strategy';
import { ROUTE_ACCESS, type RouteAccess } from './route-access';

/** A request on a `@ConsoleSession()` route, once the AccessGuard let it through. */
export type ConsoleRequest = FastifyRequest & { user?: AccessTokenClaims };

/**
 * Passport's check of the console access token. The global AccessGuard runs
 * it on `@ConsoleSession()` routes, then the revocation check. A missing,
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

/**
 * Marks a route as a signed-in console administrator's: a valid access token
 * of a session that has not ended (the global AccessGuard checks both).
 */
export function ConsoleSession(): MethodDecorator & ClassDecorator {
  const access: RouteAccess = { kind: 'console' };
  return applyDecorators(
    SetMetadata(ROUTE_ACCESS, access),
    ApiBearerAuth('console-session'),
    // 401 for a missing, invalid, expired or revoked token; 429 past this client's failures.
    ApiErrorResponses(['UNAUTHENTICATED', 'RATE_LIMITED']),
  );
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
 */
export function adminCallerOf(claims: AccessTokenClaims, sourceIp: string): Caller {
  return {
    actor: { type: 'admin', id: claims.sub },
    consoleId: claims.cid,
    // Absent for super admins: they are not limited per site.
    ...(claims.sites === undefined ? {} : { siteAccess: claims.sites }),
    sourceIp,
  };
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
