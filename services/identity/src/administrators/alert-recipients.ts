import type { LANGUAGES } from '@warden/contracts';

type Language = (typeof LANGUAGES)[number];
/** What decides whether an administrator is alerted (a stored administrator is one). */
export interface AlertCandidate {
  email: string;
  language: string;
  accountType: string;
  state: string;
  /** Site id → `admin` | `view_only`. */
  siteAccess?: unknown;
}

export type AlertRecipient = { email: string; language: Language };

/**
 * Who is alerted about a site: its console's active super admins and the
 * active administrators with `admin` access to it (view-only ones watch, they
 * are not asked to act), each in their own language, ordered by address.
 */
export function alertRecipientsOf(
  administrators: readonly AlertCandidate[],
  siteId: string,
): AlertRecipient[] {
  return administrators
    .filter(
      (admin) =>
        admin.state === 'active' &&
        (admin.accountType === 'super_admin' ||
          (admin.siteAccess as Record<string, string> | null | undefined)?.[siteId] === 'admin'),
    )
    .map((admin) => ({ email: admin.email, language: admin.language as Language }))
    .sort((a, b) => a.email.localeCompare(b.email));
}
