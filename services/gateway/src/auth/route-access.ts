import { applyDecorators, SetMetadata } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import type { ExecutionContext } from '@nestjs/common';
import { ApiErrorResponses } from '../http/openapi';

/** The access a console route needs to a site: `view_only` reads it, `admin` changes it. */
export type SiteAccessLevel = 'view_only' | 'admin';

/**
 * Where a route names the site it touches: a path parameter, a query
 * parameter or a property of the JSON body (the route's own schema validates
 * it again; the guard reads it first); or a path parameter naming a resource
 * of a site (`{ resource: 'command', param: 'commandId' }`), whose site the
 * AccessGuard asks of the `SiteResolver` registered for that resource
 * (console-permission.ts): a resource of another console, or of a site the
 * caller does not see, then reads as its own `*_NOT_FOUND`.
 */
export type SiteSource =
  | { param: string }
  | { query: string }
  | { body: string }
  | { resource: ResolvedResource; param: string };

/** Resources a route may name instead of their site (each has a `SiteResolver`). */
export type ResolvedResource = 'command' | 'endpoint';

/**
 * What a console route asks of the signed-in administrator:
 * - `session`: any administrator of the console (`@ConsoleSession()`): their
 *   own account, signing out, and console-wide reads that the service filters
 *   by the caller's site access;
 * - `super-admin`: a super admin only (`@SuperAdmin()`): administrators,
 *   console settings, the audit trail;
 * - `site`: this access to the site the request names (`@SiteAccess()`).
 *   Super admins have every access to every site of their console;
 * - `any-site-admin`: a super admin, or an `admin` account with `admin` access
 *   to at least one site (`@AnySiteAdmin()`): changes to what belongs to the
 *   whole console yet is a site administrator's tool, such as its policies
 *   (ADR 0010). View-only on every site is not enough.
 */
export type ConsolePermission =
  | { kind: 'session' }
  | { kind: 'super-admin' }
  | { kind: 'site'; level: SiteAccessLevel; from: SiteSource }
  | { kind: 'any-site-admin' };

/** Every kind of console permission there is: the start-up check refuses any other. */
export const CONSOLE_PERMISSION_KINDS = [
  'session',
  'super-admin',
  'site',
  'any-site-admin',
] as const satisfies readonly ConsolePermission['kind'][];

/**
 * Who may call a route. Every route declares one: the gateway does not start
 * with a route that declares none (RouteAccessCheck), the global AccessGuard
 * denies one anyway, and routes.int-spec.ts walks every route:
 *
 * - `public`: anyone; rate-limited per client IP unless `rateLimit: false`
 *   (only for probes that do no work, such as /health/live);
 * - `sign-in`: anyone, counted per client IP in the stricter sign-in bucket
 *   (`@PublicSignIn()`: signing in, activation, password recovery);
 * - `ops`: the provider's operator token (`@OpsAuthenticated()`);
 * - `console`: a signed-in console administrator's access token, and the
 *   permission the route needs (`@ConsoleSession()`, `@SuperAdmin()`,
 *   `@SiteAccess()`);
 * - `agent-enrolment`: an agent enrolling with a keycode (`@AgentEnrolment()`):
 *   no credential yet (the keycode in the body is checked by licensing);
 *   admitted by the agent API's in-process admission control, not charged to
 *   the per-IP limits (a whole office enrols from one NAT address);
 * - `device`: an enrolled agent's device token (`@Device()`), checked against
 *   the gateway's device directory; admission control, then the device's own
 *   token bucket (ADR 0011).
 */
export type RouteAccess =
  | { kind: 'public'; rateLimit: boolean }
  | { kind: 'sign-in' }
  | { kind: 'ops' }
  | { kind: 'console'; permission: ConsolePermission }
  | { kind: 'agent-enrolment' }
  | { kind: 'device' };

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

/** The declaration of a route handler: the method's, else its controller's. */
export function declaredAccess(
  reflector: Reflector,
  handler: object,
  controller: object,
): RouteAccess | undefined {
  return reflector.getAllAndOverride<RouteAccess | undefined>(ROUTE_ACCESS, [
    handler as () => void,
    controller as () => void,
  ]);
}

/** The declaration of the route a request reached: the method's, else its controller's. */
export function routeAccessOf(
  reflector: Reflector,
  context: ExecutionContext,
): RouteAccess | undefined {
  return declaredAccess(reflector, context.getHandler(), context.getClass());
}
