import { applyDecorators, SetMetadata } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import type { ExecutionContext } from '@nestjs/common';
import { ApiErrorResponses } from '../http/openapi';

/**
 * Who may call a route. Every route declares one (the global AccessGuard
 * denies the rest, and routes.int-spec.ts fails on an undeclared one):
 *
 * - `public`: anyone; rate-limited per client IP unless `rateLimit: false`
 *   (only for probes that do no work, such as /health/live);
 * - `sign-in`: anyone, counted per client IP in the stricter sign-in bucket
 *   (`@PublicSignIn()`: signing in, activation, password recovery);
 * - `ops`: the provider's operator token (`@OpsAuthenticated()`);
 * - `console`: a signed-in console administrator's access token
 *   (`@ConsoleSession()`). Per-site declarations (`site: 'admin' | 'view'`)
 *   join this kind as fields.
 *
 * Agents (`@Device()`) join here.
 */
export type RouteAccess =
  | { kind: 'public'; rateLimit: boolean }
  | { kind: 'sign-in' }
  | { kind: 'ops' }
  | { kind: 'console' };

export const ROUTE_ACCESS = 'warden:route-access';

/** Anyone may call this route (rate-limited per client IP). */
export function Public(options: { rateLimit?: boolean } = {}): MethodDecorator & ClassDecorator {
  const access: RouteAccess = { kind: 'public', rateLimit: options.rateLimit ?? true };
  return access.rateLimit
    ? applyDecorators(SetMetadata(ROUTE_ACCESS, access), ApiErrorResponses(['RATE_LIMITED']))
    : SetMetadata(ROUTE_ACCESS, access);
}

/**
 * Anyone may call this route, which checks a secret someone may be guessing
 * (a password, a link's token): rate-limited per client IP in the sign-in
 * bucket (RATE_LIMIT_SIGN_IN), and refused while the IP is over its limit of
 * failed authentications.
 */
export function PublicSignIn(): MethodDecorator & ClassDecorator {
  const access: RouteAccess = { kind: 'sign-in' };
  return applyDecorators(SetMetadata(ROUTE_ACCESS, access), ApiErrorResponses(['RATE_LIMITED']));
}

/** The declaration of the route a request reached: the method's, else its controller's. */
export function routeAccessOf(
  reflector: Reflector,
  context: ExecutionContext,
): RouteAccess | undefined {
  return reflector.getAllAndOverride<RouteAccess | undefined>(ROUTE_ACCESS, [
    context.getHandler(),
    context.getClass(),
  ]);
}
