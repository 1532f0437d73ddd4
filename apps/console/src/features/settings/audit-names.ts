import { useAdministratorList } from '../../api/administrators';
import { useConsoleSettings } from '../../api/console-settings';

/** Names for the ids audit events carry: administrators by e-mail, sites by name. */
export interface AuditNames {
  administrators: ReadonlyMap<string, string>;
  sites: ReadonlyMap<string, string>;
}

/** The names a super admin's audit trail shows; ids stand in for what has none (yet). */
export function useAuditNames(): AuditNames {
  const settings = useConsoleSettings();
  // The administrators page's own list (its first page, or as many as it loaded).
  const administrators = useAdministratorList();
  const loaded = administrators.data?.pages.flatMap((page) => page.items) ?? [];
  return {
    administrators: new Map(loaded.map((admin) => [admin.id, admin.email])),
    sites: new Map(settings.data?.sites.map((site) => [site.id, site.name])),
  };
}
