import { useQuery } from '@tanstack/react-query';
import { api, type Reply, unwrap } from './client';

/** The console's details and the sites the caller may see (the API leaves out the others). */
export type ConsoleSettings = Reply<'/api/v1/settings', 'get'>;
export type Site = ConsoleSettings['sites'][number];

/** One key for every screen that reads the settings: saving them refreshes them all. */
export const CONSOLE_SETTINGS_QUERY_KEY = ['settings'] as const;

/** `GET /api/v1/settings`, optionally narrowed to what the caller needs. */
export function useConsoleSettings<T = ConsoleSettings>(select?: (settings: ConsoleSettings) => T) {
  return useQuery({
    queryKey: CONSOLE_SETTINGS_QUERY_KEY,
    queryFn: () => unwrap(api.GET('/api/v1/settings')),
    select,
  });
}
