import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ADMINISTRATOR_LIST_QUERY_KEY, ADMINISTRATORS_QUERY_KEY } from '../../api/administrators';
import { api, unwrap } from '../../api/client';
import { useConsoleSettings } from '../../api/console-settings';
import type { AdministratorAction } from './administrator-actions';
import type {
  AddAdministratorBody,
  Administrator,
  SiteRef,
  UpdateAdministratorBody,
} from './administrator-form';

const administratorKey = (id: string) => [...ADMINISTRATORS_QUERY_KEY, 'one', id] as const;

export function useAdministrator(administratorId: string) {
  return useQuery({
    queryKey: administratorKey(administratorId),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/administrators/{administratorId}', {
          params: { path: { administratorId } },
        }),
      ),
  });
}

/** The console's sites (a super admin sees all of them), for site permissions. */
export const useSites = () =>
  useConsoleSettings((settings): SiteRef[] => settings.sites.map(({ id, name }) => ({ id, name })));

/** After any change: the list and every administrator's page. */
function useRefreshAdministrators() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: ADMINISTRATORS_QUERY_KEY });
}

const ACTION_ROUTES = {
  disable: '/api/v1/administrators/{administratorId}/disable',
  enable: '/api/v1/administrators/{administratorId}/enable',
  unlock: '/api/v1/administrators/{administratorId}/unlock',
  resetTwoFactor: '/api/v1/administrators/{administratorId}/reset-2fa',
} as const;

/** One of the row actions on one administrator. */
export function useAdministratorAction(administratorId: string, action: AdministratorAction) {
  const queryClient = useQueryClient();
  const refresh = useRefreshAdministrators();
  return useMutation({
    mutationFn: async () => {
      const path = { params: { path: { administratorId } } };
      if (action === 'delete') {
        await unwrap(api.DELETE('/api/v1/administrators/{administratorId}', path));
      } else {
        await unwrap(api.POST(ACTION_ROUTES[action], path));
      }
    },
    // A deleted administrator's own page is leaving: asking for them again would only meet a 404.
    onSuccess: () =>
      action === 'delete'
        ? queryClient.invalidateQueries({ queryKey: ADMINISTRATOR_LIST_QUERY_KEY })
        : refresh(),
  });
}

export function useResendInvitation(administratorId: string) {
  const refresh = useRefreshAdministrators();
  return useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/administrators/{administratorId}/resend-invitation', {
          params: { path: { administratorId } },
        }),
      ),
    onSuccess: refresh,
  });
}

export function useUpdateAdministrator(administratorId: string) {
  const refresh = useRefreshAdministrators();
  return useMutation({
    mutationFn: (body: UpdateAdministratorBody) =>
      unwrap(
        api.PATCH('/api/v1/administrators/{administratorId}', {
          params: { path: { administratorId } },
          body,
        }),
      ),
    onSuccess: refresh,
  });
}

/** Invites an administrator; `idempotencyKey` is one per wizard, so a retried save invites once. */
export function useInviteAdministrator(idempotencyKey: string) {
  const refresh = useRefreshAdministrators();
  return useMutation({
    mutationFn: (body: AddAdministratorBody): Promise<Administrator> =>
      unwrap(
        api.POST('/api/v1/administrators', {
          params: { header: { 'Idempotency-Key': idempotencyKey } },
          body,
        }),
      ),
    onSuccess: refresh,
  });
}
