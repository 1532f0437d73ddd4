import { useQuery } from '@tanstack/react-query';
import { useLanguage } from '../i18n/language';
import { api, type Reply, unwrap } from './client';

export type PolicySummary = Reply<'/api/v1/policies', 'get'>['items'][number];

/** Every policy query starts with this key: a change to any policy refreshes them all. */
export const POLICIES_QUERY_KEY = ['policies'] as const;

/**
 * The console's policies, for the policies page and every policy select:
 * the built-ins first (in their fixed order), then the console's by name;
 * names in the current language.
 */
export function usePolicies() {
  const { language } = useLanguage();
  return useQuery({
    queryKey: [...POLICIES_QUERY_KEY, 'list', language],
    queryFn: () => unwrap(api.GET('/api/v1/policies', { params: { query: { language } } })),
    select: (reply) => reply.items,
  });
}
