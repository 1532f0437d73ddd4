import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { CONSOLE_APP_PATHS } from '@warden/contracts';
import { api, type Reply, unwrap } from '../../api/client';
import { POLICIES_QUERY_KEY } from '../../api/policies';
import { useLanguage } from '../../i18n/language';
import type { PolicyChanges } from './policy-form';

export type PolicyDetail = Reply<'/api/v1/policies/{policyId}', 'get'>;
export type PolicyUsage = Reply<'/api/v1/policies/{policyId}/usage', 'get'>;
export type PolicyDiff = Reply<'/api/v1/policies/{policyId}/diff/{otherPolicyId}', 'get'>;

export const policyPath = (policyId: string) =>
  CONSOLE_APP_PATHS.policy.replace(':policyId', policyId);

/**
 * One policy. Not refetched on focus: the editor keeps the version it
 * loaded (its If-Match) until the administrator saves or reloads.
 */
export function usePolicy(policyId: string) {
  const { language } = useLanguage();
  return useQuery({
    queryKey: [...POLICIES_QUERY_KEY, 'detail', policyId, language],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/policies/{policyId}', {
          params: { path: { policyId }, query: { language } },
        }),
      ),
    refetchOnWindowFocus: false,
  });
}

export function usePolicyUsage(policyId: string | undefined) {
  return useQuery({
    queryKey: [...POLICIES_QUERY_KEY, 'usage', policyId],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/policies/{policyId}/usage', {
          params: { path: { policyId: policyId ?? '' } },
        }),
      ),
    enabled: policyId !== undefined,
  });
}

export function usePolicyDiff(policyId: string | null, otherPolicyId: string | null) {
  const { language } = useLanguage();
  return useQuery({
    queryKey: [...POLICIES_QUERY_KEY, 'diff', policyId, otherPolicyId, language],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/policies/{policyId}/diff/{otherPolicyId}', {
          params: {
            path: { policyId: policyId ?? '', otherPolicyId: otherPolicyId ?? '' },
            query: { language },
          },
        }),
      ),
    enabled: policyId !== null && otherPolicyId !== null,
  });
}

/** Copies a policy and opens the copy. `idempotencyKey` is one per dialog: a retried copy makes one policy. */
export function useCopyPolicy() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { language } = useLanguage();
  return useMutation({
    mutationFn: (copy: {
      sourcePolicyId: string;
      name: string;
      description: string;
      idempotencyKey: string;
    }) =>
      unwrap(
        api.POST('/api/v1/policies', {
          params: { header: { 'Idempotency-Key': copy.idempotencyKey }, query: { language } },
          body: {
            sourcePolicyId: copy.sourcePolicyId,
            name: copy.name,
            description: copy.description,
          },
        }),
      ),
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: POLICIES_QUERY_KEY });
      await navigate(policyPath(created.id));
    },
  });
}

/** Saves an edit based on the version the editor loaded (If-Match): a save since is POLICY_VERSION_CONFLICT. */
export function useUpdatePolicy(policyId: string) {
  const queryClient = useQueryClient();
  const { language } = useLanguage();
  return useMutation({
    mutationFn: ({ ifMatch, changes }: { ifMatch: string; changes: PolicyChanges }) =>
      unwrap(
        api.PATCH('/api/v1/policies/{policyId}', {
          params: { path: { policyId }, header: { 'If-Match': ifMatch }, query: { language } },
          body: changes,
        }),
      ),
    onSuccess: async (saved) => {
      queryClient.setQueryData([...POLICIES_QUERY_KEY, 'detail', policyId, language], saved);
      await queryClient.invalidateQueries({
        queryKey: POLICIES_QUERY_KEY,
        predicate: (query) => query.queryKey[1] !== 'detail',
      });
    },
  });
}

/** Deletes a policy; its users (sites' defaults, groups, endpoints) move to `replacementPolicyId` first. */
export function useDeletePolicy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      policyId,
      replacementPolicyId,
    }: {
      policyId: string;
      replacementPolicyId?: string;
    }) =>
      unwrap(
        api.DELETE('/api/v1/policies/{policyId}', {
          params: {
            path: { policyId },
            query: replacementPolicyId === undefined ? {} : { replacementPolicyId },
          },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: POLICIES_QUERY_KEY }),
  });
}
