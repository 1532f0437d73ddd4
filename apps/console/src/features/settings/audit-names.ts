import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { useConsoleSettings } from '../../api/console-settings';

/** Names for the ids audit events carry: administrators by e-mail, sites by name. */
export interface AuditNames {
  administrators: ReadonlyMap<string, string>;
  sites: ReadonlyMap<string, string>;
}

/** The names a super admin's audit trail shows; ids stand in for what has none (yet). */
export function useAuditNames(): AuditNames {
  const settings = useConsoleSettings();
  const administrators = useQuery({
    queryKey: ['administrators', 'list'],
    queryFn: () => unwrap(api.GET('/api/v1/administrators')),
  });
  return {
    administrators: new Map(administrators.data?.items.map((admin) => [admin.id, admin.email])),
    sites: new Map(settings.data?.sites.map((site) => [site.id, site.name])),
  };
}
