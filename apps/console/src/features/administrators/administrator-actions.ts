import type { Administrator } from './administrator-form';

/** What a super admin may do to an administrator from the console, each by its own route. */
export type AdministratorAction = 'disable' | 'enable' | 'unlock' | 'resetTwoFactor' | 'delete';

/**
 * The actions offered for `administrator` to the signed-in super admin
 * `meId`: nobody disables or deletes themselves, provider-support accounts
 * are the provider's to disable or delete, and each action applies only in
 * the states the API accepts it in. (The last super admin is always the
 * signed-in one, so "never the last super admin" follows from "never
 * yourself"; the API still refuses it with LAST_SUPER_ADMIN.)
 */
export function availableActions(
  administrator: Pick<Administrator, 'id' | 'kind' | 'state' | 'twoFactor'>,
  meId: string | undefined,
): AdministratorAction[] {
  const self = administrator.id === meId;
  const protectedAccount = self || administrator.kind === 'provider_support';
  const actions: AdministratorAction[] = [];
  if (administrator.state === 'locked') actions.push('unlock');
  if (administrator.state === 'disabled') actions.push('enable');
  else if (!protectedAccount) actions.push('disable');
  if (administrator.twoFactor === 'enabled' && !self) actions.push('resetTwoFactor');
  if (!protectedAccount) actions.push('delete');
  return actions;
}

/** Has the link of a pending invitation stopped working? */
export function invitationExpired(
  administrator: Pick<Administrator, 'state' | 'invitationExpiresAt'>,
  now: Date = new Date(),
): boolean {
  return (
    administrator.state === 'invited' &&
    administrator.invitationExpiresAt !== null &&
    new Date(administrator.invitationExpiresAt).getTime() <= now.getTime()
  );
}
