import type { CommandSpecInput, CommandTarget } from '@warden/contracts';
import { useQuery } from '@tanstack/react-query';
import { api, type Reply, unwrap } from '../../api/client';
import { bulkProgress } from './command-spec';

export type CommandPreview = Reply<'/api/v1/commands/preview', 'post'>;
export type CommandBulk = Reply<'/api/v1/command-bulks/{bulkId}', 'get'>;
export type CommandView = Reply<'/api/v1/endpoints/{endpointId}/commands', 'get'>['items'][number];

/** Every command list (an endpoint's history, the dashboard's pending commands) starts with this key. */
export const COMMANDS_QUERY_KEY = ['commands'] as const;

/** How often a bulk's progress is read again while some of its commands wait for their endpoints. */
const BULK_POLL_MS = 2_000;

export const previewCommand = (target: CommandTarget, command: CommandSpecInput) =>
  unwrap(api.POST('/api/v1/commands/preview', { body: { target, command } }));

export const issueCommand = (confirmationToken: string) =>
  unwrap(api.POST('/api/v1/commands', { body: { confirmationToken } }));

export const cancelCommand = (commandId: string) =>
  unwrap(api.POST('/api/v1/commands/{commandId}/cancel', { params: { path: { commandId } } }));

/** A bulk's counts by state, read again until every command has ended. */
export function useBulk(bulkId: string) {
  return useQuery({
    queryKey: [...COMMANDS_QUERY_KEY, 'bulk', bulkId],
    queryFn: () =>
      unwrap(api.GET('/api/v1/command-bulks/{bulkId}', { params: { path: { bulkId } } })),
    refetchInterval: (query) =>
      query.state.data && bulkProgress(query.state.data).complete ? false : BULK_POLL_MS,
  });
}
