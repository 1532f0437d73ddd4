import { useQuery } from '@tanstack/react-query';
import { api, type Reply, unwrap } from '../api/client';
import { useSession } from './session';

export type Me = Reply<'/api/v1/me', 'get'>;

export const ME_QUERY_KEY = ['me'] as const;

/** The signed-in administrator: name, language, account type and site access. */
export function useMe() {
  const { tokens } = useSession();
  return useQuery({
    queryKey: ME_QUERY_KEY,
    queryFn: () => unwrap(api.GET('/api/v1/me')),
    enabled: tokens !== undefined,
    staleTime: 60_000,
  });
}

/** What the signed-in administrator may do, for hiding what they may not. */
export function permissionsOf(me: Me | undefined) {
  const superAdmin = me?.accountType === 'super_admin';
  const siteAccess = me?.siteAccess ?? {};
  return {
    superAdmin,
    /** Administers this site (super admins administer every site). */
    administers: (siteId: string) => superAdmin || siteAccess[siteId] === 'admin',
    /** Administers at least one site: policies and other console-wide tools. */
    administersAnySite: superAdmin || Object.values(siteAccess).includes('admin'),
  };
}

export function usePermissions() {
  return permissionsOf(useMe().data);
}
