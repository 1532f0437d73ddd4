import type { Caller } from '@warden/contracts';

/**
 * The console a command-service request is limited to: an administrator's
 * own (another console's devices are not found, or skipped), or null for the
 * system's jobs, which work across consoles (a change of keycode may move a
 * device into another console's site).
 */
export function consoleScopeOf(caller: Caller): string | null {
  return caller.consoleId ?? null;
}

/**
 * Commanding a site's endpoints needs `admin` access to it: a super admin
 * (no `siteAccess`) has every site of its console; view-only and no-access
 * sites are not commandable.
 */
export function mayCommand(caller: Caller, siteId: string): boolean {
  return caller.siteAccess === undefined || caller.siteAccess[siteId] === 'admin';
}
