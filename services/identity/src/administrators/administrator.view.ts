import type { Administrator } from '@warden/contracts';
import type { AdministratorRecord } from './administrator.model';

/** Locked while the lock lasts: it ends by itself, so it is derived, not stored. */
export function isLocked(record: AdministratorRecord, now = new Date()): boolean {
  return record.lockedUntil !== null && record.lockedUntil > now;
}

export function stateOf(record: AdministratorRecord, now = new Date()): Administrator['state'] {
  if (record.state === 'active' && isLocked(record, now)) return 'locked';
  return record.state;
}

/** The one place a stored administrator becomes what callers see: no secret crosses it. */
export function toAdministratorView(record: AdministratorRecord, now = new Date()): Administrator {
  const state = stateOf(record, now);
  return {
    id: record._id,
    consoleId: record.consoleId,
    email: record.email,
    phone: record.phone,
    firstName: record.firstName,
    lastName: record.lastName,
    language: record.language,
    accountType: record.accountType,
    kind: record.kind,
    state,
    twoFactor: record.twoFactorEnabledAt ? 'enabled' : 'not_set_up',
    siteAccess:
      record.accountType === 'super_admin'
        ? {}
        : (record.siteAccess as Administrator['siteAccess']),
    invitationExpiresAt:
      record.state === 'invited' ? (record.invitationExpiresAt?.toISOString() ?? null) : null,
    lockedUntil: state === 'locked' ? record.lockedUntil!.toISOString() : null,
    createdAt: record.createdAt.toISOString(),
  };
}
