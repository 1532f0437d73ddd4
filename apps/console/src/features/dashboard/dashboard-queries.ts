import { useQueries, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { useLanguage } from '../../i18n/language';
import { endpointQuery, ENDPOINTS_QUERY_KEY } from '../../api/endpoints';
import { COMMANDS_QUERY_KEY } from '../commands/command-queries';
import { DASHBOARD_ROWS } from './dashboard';

/*
 * The dashboard's reads share their keys with the endpoint screens' (under
 * ENDPOINTS_QUERY_KEY), so an issued command or a move refreshes both.
 */

/**
 * The endpoints infected last, newest first, each with its detail for the
 * threat's name: the API has no console-wide list of detections, so the
 * endpoint list sorted by last infection stands in, and at most
 * DASHBOARD_ROWS details are read.
 */
export function useRecentDetections() {
  const { language } = useLanguage();
  const query = {
    sort: 'lastInfectionAt',
    order: 'desc',
    limit: DASHBOARD_ROWS,
    language,
  } as const;
  const list = useQuery({
    queryKey: [...ENDPOINTS_QUERY_KEY, 'list', query],
    queryFn: () => unwrap(api.GET('/api/v1/endpoints', { params: { query } })),
    // Never infected endpoints sort last in descending order; they are no detection.
    select: (page) => page.items.filter((endpoint) => endpoint.lastInfectionAt !== null),
  });
  const details = useQueries({
    queries: (list.data ?? []).map((endpoint) => endpointQuery(endpoint.id, language)),
  });
  return { list, details: details.map((detail) => detail.data) };
}

/** Commands still waiting for their endpoints, newest first. */
export function usePendingCommands() {
  const query = { state: 'pending,delivered', limit: DASHBOARD_ROWS };
  return useQuery({
    queryKey: [...COMMANDS_QUERY_KEY, 'list', query],
    queryFn: () => unwrap(api.GET('/api/v1/commands', { params: { query } })),
  });
}
