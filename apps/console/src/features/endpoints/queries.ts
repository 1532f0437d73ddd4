import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Reply, unwrap } from '../../api/client';
import { useConsoleSettings } from '../../api/console-settings';
import { ENDPOINTS_QUERY_KEY } from '../../api/endpoints';
import { useLanguage } from '../../i18n/language';
import { type EndpointTableState, listQueryOf } from './table-state';

export type EndpointRow = Reply<'/api/v1/endpoints', 'get'>['items'][number];
export type Group = Reply<'/api/v1/sites/{siteId}/groups', 'get'>['items'][number];

/** The sites the administrator may see (the API leaves out the others). */
export const useSites = () => useConsoleSettings((settings) => settings.sites);

/** One page of the table; the previous page stays on screen while the next loads. */
export function useEndpointPage(state: EndpointTableState) {
  const { language } = useLanguage();
  const query = listQueryOf(state, language);
  return useQuery({
    queryKey: [...ENDPOINTS_QUERY_KEY, 'list', query],
    queryFn: () => unwrap(api.GET('/api/v1/endpoints', { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

export function useGroups(siteId: string | undefined) {
  return useQuery({
    queryKey: [...ENDPOINTS_QUERY_KEY, 'groups', siteId],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/sites/{siteId}/groups', { params: { path: { siteId: siteId ?? '' } } }),
      ),
    select: (reply) => reply.items,
    enabled: siteId !== undefined,
  });
}

/** After a move, a change of policy or of groups: every list, count and detail of the area. */
export function useRefreshEndpoints() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: ENDPOINTS_QUERY_KEY });
}
