import { useQuery } from '@tanstack/react-query';
import type { Language } from '../i18n/i18n';
import { useLanguage } from '../i18n/language';
import { api, type Reply, unwrap } from './client';

export type EndpointDetail = Reply<'/api/v1/endpoints/{endpointId}', 'get'>;

/**
 * Every endpoint read (lists, counts, details, groups) starts with this key:
 * a move, a change of policy or an issued command refreshes them all, on the
 * endpoint screens and the dashboard alike.
 */
export const ENDPOINTS_QUERY_KEY = ['endpoints'] as const;

/** `GET /api/v1/endpoints/{id}` as a query, for one endpoint or many (the dashboard's). */
export const endpointQuery = (endpointId: string, language: Language) => ({
  queryKey: [...ENDPOINTS_QUERY_KEY, 'detail', endpointId, language],
  queryFn: () =>
    unwrap(
      api.GET('/api/v1/endpoints/{endpointId}', {
        params: { path: { endpointId }, query: { language } },
      }),
    ),
});

export function useEndpoint(endpointId: string) {
  const { language } = useLanguage();
  return useQuery(endpointQuery(endpointId, language));
}

/** A site's endpoints by status. */
export function useStatusCounts(siteId: string) {
  return useQuery({
    queryKey: [...ENDPOINTS_QUERY_KEY, 'counts', siteId],
    queryFn: () =>
      unwrap(api.GET('/api/v1/sites/{siteId}/endpoint-counts', { params: { path: { siteId } } })),
  });
}
