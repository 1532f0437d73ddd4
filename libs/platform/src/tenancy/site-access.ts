import type { Caller } from '@warden/contracts';
import { DomainError } from '../errors/domain-error';

/**
 * Per-site access of console administrators (DESIGN §2): an `admin` account
 * carries `siteAccess` and sees only the sites listed there; a super admin
 * carries none and sees every site of its console. The gateway checks this
 * per route too; every service checks it again rather than trust the route.
 */
export function maySee(caller: Caller, siteId: string): boolean {
  if (caller.siteAccess === undefined) return true;
  const level = caller.siteAccess[siteId];
  return level === 'admin' || level === 'view_only';
}

/** A site the caller may not see answers as if it did not exist: it is not revealed. */
export function assertMaySee(caller: Caller, siteId: string): void {
  if (!maySee(caller, siteId)) throw new DomainError('SITE_NOT_FOUND', 'no such site', { siteId });
}

/** Changing a site needs `admin` on it; one the caller only views is FORBIDDEN. */
export function assertMayChange(caller: Caller, siteId: string): void {
  assertMaySee(caller, siteId);
  if (caller.siteAccess !== undefined && caller.siteAccess[siteId] !== 'admin') {
    throw new DomainError('FORBIDDEN', 'changing this site needs admin access to it', { siteId });
  }
}
