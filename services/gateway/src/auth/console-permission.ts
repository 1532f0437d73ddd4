import type { AccessTokenClaims, Caller, ErrorCode } from '@warden/contracts';
import { DomainError } from '@warden/platform';
import { idInput } from '../http/id-param';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import type {
  ConsolePermission,
  ResolvedResource,
  SiteAccessLevel,
  SiteSource,
} from './route-access';

/** What the permission check reads of a request: where a route names its site. */
export interface PermissionRequest {
  params?: unknown;
  query?: unknown;
  body?: unknown;
}

/**
 * Issues 10–12: the site of a resource a route names instead of a site (an
 * endpoint, a group, a command), asked of the service that owns it with the
 * caller (so with the console of the token): the site id, or null when the
 * resource is not in the caller's console — which the guard answers as the
 * resource's own `*_NOT_FOUND`, exactly as the service would. One resolver per
 * resource type, registered with the AccessGuard (console/site-resolvers.ts).
 */
export interface SiteResolver {
  /** The resource this resolver knows, as declared in a route's `SiteSource`. */
  readonly resource: ResolvedResource;
  /** The `*_NOT_FOUND` code of this resource. */
  readonly notFound: ErrorCode;
  siteOf(caller: Caller, resourceId: string): Promise<string | null>;
}

const SITE_LEVELS: Record<SiteAccessLevel, readonly string[]> = {
  view_only: ['view_only', 'admin'],
  admin: ['admin'],
};

/**
 * Whether the administrator of these access-token claims may call a route
 * that declares `permission`; throws the refusal otherwise:
 * - `super-admin` routes: 403 FORBIDDEN for an `admin` account;
 * - `any-site-admin` routes: a super admin passes; an `admin` account needs
 *   `admin` on at least one site in its `sites` claim, else 403 FORBIDDEN;
 * - `site` routes: a super admin passes (the service then finds the site in
 *   the console of the token, or answers SITE_NOT_FOUND); an `admin` account
 *   needs the level on that site in its `sites` claim. A site it has no access
 *   to is 404 SITE_NOT_FOUND, as one of another console is: nobody learns
 *   which sites exist beyond their own. View-only on a route that changes the
 *   site is 403 FORBIDDEN (they can see the site, so that reveals nothing).
 *
 * A malformed or missing site id is VALIDATION_FAILED, for every caller alike.
 * The services check the same again with the caller (`siteAccess`): this is
 * the gateway's half, so that no route can forget it.
 */
export function checkConsolePermission(
  claims: AccessTokenClaims,
  permission: ConsolePermission,
  request: PermissionRequest,
): void {
  switch (permission.kind) {
    case 'session':
      return;
    case 'super-admin':
      if (claims.typ !== 'super_admin') {
        throw new DomainError('FORBIDDEN', 'only a super admin of this console may do this');
      }
      return;
    case 'any-site-admin':
      if (claims.typ === 'super_admin') return;
      if (!Object.values(claims.sites ?? {}).includes('admin')) {
        throw new DomainError(
          'FORBIDDEN',
          'this needs a super admin, or admin access to at least one site of this console',
        );
      }
      return;
    case 'site': {
      if ('resource' in permission.from) {
        throw new Error('a resource route’s site is resolved first: checkResourcePermission');
      }
      const siteId = siteIdOf(request, permission.from);
      if (claims.typ === 'super_admin') return;
      // The same answer licensing gives for a site it does not have.
      checkSiteLevel(
        claims,
        siteId,
        permission.level,
        () => new DomainError('SITE_NOT_FOUND', 'no such site', { siteId }),
      );
      return;
    }
  }
}

/**
 * A `site` route that names a resource (`{ resource, param }`) rather than
 * its site: the resolver finds the resource's site with the caller (so in
 * the token's console). A resource of another console, or, for an `admin`
 * account, of a site it has no access to, is the resource's `*_NOT_FOUND`
 * for every caller alike; view-only access where the route needs `admin` is
 * 403 FORBIDDEN (they can see the resource). Super admins are resolved too:
 * a route such as an endpoint's command history would otherwise answer an
 * empty page for another console's endpoint.
 */
export async function checkResourcePermission(
  claims: AccessTokenClaims,
  permission: { level: SiteAccessLevel; from: { resource: ResolvedResource; param: string } },
  request: PermissionRequest,
  resolver: SiteResolver,
  caller: Caller,
): Promise<void> {
  const resourceId = siteIdOf(request, permission.from);
  const notFound = () =>
    new DomainError(resolver.notFound, `no such ${permission.from.resource}`, {
      [permission.from.param]: resourceId,
    });
  const siteId = await resolver.siteOf(caller, resourceId);
  if (siteId === null) throw notFound();
  if (claims.typ === 'super_admin') return;
  checkSiteLevel(claims, siteId, permission.level, notFound);
}

function checkSiteLevel(
  claims: AccessTokenClaims,
  siteId: string,
  needed: SiteAccessLevel,
  notFound: () => DomainError,
): void {
  const level = siteLevelOf(claims, siteId);
  if (level === undefined) throw notFound();
  if (!SITE_LEVELS[needed].includes(level)) {
    throw new DomainError('FORBIDDEN', 'this needs admin access to the site', { siteId });
  }
}

/** The site (or resource) id a request names where its route says, validated and in lower case. */
export function siteIdOf(request: PermissionRequest, from: SiteSource): string {
  const [where, name] =
    'param' in from
      ? ([request.params, from.param] as const)
      : 'query' in from
        ? ([request.query, from.query] as const)
        : ([request.body, from.body] as const);
  const value =
    typeof where === 'object' && where !== null && Object.hasOwn(where, name)
      ? (where as Record<string, unknown>)[name]
      : undefined;
  // The same refusal the route's own pipe would give the same value.
  return new ZodValidationPipe(idInput, name).transform(value);
}

/** The caller's level on a site by its `sites` claim (ids compared in lower case). */
function siteLevelOf(claims: AccessTokenClaims, siteId: string): string | undefined {
  for (const [id, level] of Object.entries(claims.sites ?? {})) {
    if (id.toLowerCase() === siteId) return level;
  }
  return undefined;
}
