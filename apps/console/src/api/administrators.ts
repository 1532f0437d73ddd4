import { useInfiniteQuery } from '@tanstack/react-query';
import { api, unwrap } from './client';

/** Every administrator read starts with this key: any change refreshes them all. */
export const ADMINISTRATORS_QUERY_KEY = ['administrators'] as const;
/** The list, page after page ("load more"): one cache entry for every screen that reads it. */
export const ADMINISTRATOR_LIST_QUERY_KEY = [...ADMINISTRATORS_QUERY_KEY, 'list'] as const;

/** A console has few administrators: a page holds most, "load more" the rest. */
const PAGE_SIZE = 100;

/** The console's administrators (super admins only), for their page and the audit trail's names. */
export function useAdministratorList() {
  return useInfiniteQuery({
    queryKey: ADMINISTRATOR_LIST_QUERY_KEY,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/v1/administrators', {
          params: { query: { limit: PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}
