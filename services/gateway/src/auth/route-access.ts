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
 * - `ops`: the provider's operator token (`@OpsAuthenticated()`).
 *
 * Console administrators (`@Console(...)`) and agents (`@Device()`) join here.
 */
export type RouteAccess = { kind: 'public'; rateLimit: boolean } | { kind: 'ops' };

export const ROUTE_ACCESS = 'warden:route-access';

/** Anyone may call this route (rate-limited per client IP). */
export function Public(options: { rateLimit?: boolean } = {}): MethodDecorator & ClassDecorator {
  const access: RouteAccess = { kind: 'public', rateLimit: options.rateLimit ?? true };
  return access.rateLimit
    ? applyDecorators(SetMetadata(ROUTE_ACCESS, access), ApiErrorResponses(['RATE_LIMITED']))
    : SetMetadata(ROUTE_ACCESS, access);
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
