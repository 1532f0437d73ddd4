import { Loader, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ApiError } from '../../api/errors';
import { isInUse, PolicyUsageList } from './PolicyUsageList';
import type { PolicySummary } from '../../api/policies';
import { notifyDone } from '../../components/notify';
import { useDeletePolicy, usePolicyUsage } from './policy-queries';

export interface DeletePolicyDialogProps {
  /** The policy to delete; null when the dialog is closed. */
  policy: PolicySummary | null;
  /** Every policy of the console (the replacement is chosen among the others). */
  policies: readonly PolicySummary[];
  onClose: () => void;
  onDeleted?: () => void;
}

/**
 * Deletes a policy. One in use says where, and asks for the policy its
 * users move to first (the API refuses it otherwise: POLICY_IN_USE).
 */
export function DeletePolicyDialog(props: DeletePolicyDialogProps) {
  // A fresh state (replacement, last error) for each policy the dialog opens for.
  return <DeletePolicyConfirm key={props.policy?.id ?? 'closed'} {...props} />;
}

function DeletePolicyConfirm({ policy, policies, onClose, onDeleted }: DeletePolicyDialogProps) {
  const { t } = useTranslation();
  const usage = usePolicyUsage(policy?.id);
  const remove = useDeletePolicy();
  const [replacementPolicyId, setReplacementPolicyId] = useState<string | null>(null);
  const [replacementMissing, setReplacementMissing] = useState(false);
  const refusedInUse = remove.error instanceof ApiError && remove.error.code === 'POLICY_IN_USE';
  const inUse = refusedInUse || (usage.data !== undefined && isInUse(usage.data));

  const confirm = () => {
    if (!policy) return;
    if (inUse && replacementPolicyId === null) {
      setReplacementMissing(true);
      return;
    }
    remove.mutate(
      {
        policyId: policy.id,
        replacementPolicyId: inUse ? (replacementPolicyId ?? undefined) : undefined,
      },
      {
        onSuccess: () => {
          notifyDone(t('policies:delete.done', { name: policy.name }));
          onClose();
          onDeleted?.();
        },
        // Something started using it meanwhile: show where, and ask for a replacement.
        onError: (error) => {
          if (error instanceof ApiError && error.code === 'POLICY_IN_USE') void usage.refetch();
        },
      },
    );
  };

  return (
    <ConfirmDialog
      opened={policy !== null}
      title={t('policies:delete.title')}
      confirmLabel={t('common:actions.delete')}
      destructive
      busy={remove.isPending}
      error={refusedInUse && replacementPolicyId === null ? undefined : remove.error}
      onConfirm={confirm}
      onClose={onClose}
    >
      <Stack gap="sm">
        <Text size="sm">{t('policies:delete.question', { name: policy?.name ?? '' })}</Text>
        {usage.isPending && <Loader size="sm" aria-label={t('common:states.loading')} />}
        <ApiErrorAlert error={usage.error} />
        {usage.data && inUse && (
          <>
            <Text size="sm" fw={500}>
              {t('policies:delete.inUse')}
            </Text>
            <PolicyUsageList usage={usage.data} />
            <Select
              label={t('policies:delete.replacement')}
              description={t('policies:delete.replacementHelp')}
              required
              data={policies
                .filter((other) => other.id !== policy?.id)
                .map((other) => ({ value: other.id, label: other.name }))}
              value={replacementPolicyId}
              onChange={(value) => {
                setReplacementPolicyId(value);
                setReplacementMissing(false);
              }}
              error={replacementMissing ? t('errors:rules.required') : undefined}
              comboboxProps={{ withinPortal: true }}
            />
          </>
        )}
      </Stack>
    </ConfirmDialog>
  );
}
