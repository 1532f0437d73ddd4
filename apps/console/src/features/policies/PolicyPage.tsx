import { Loader, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { PolicyEditor } from './PolicyEditor';
import { usePolicy } from './policy-queries';

/** Journey 6: one policy, its settings generated from the catalog, editable unless built-in. */
export function PolicyPage() {
  const { t } = useTranslation();
  const { policyId = '' } = useParams();
  const policy = usePolicy(policyId);

  if (policy.data) {
    return (
      <PolicyEditor
        key={policy.data.id}
        policy={policy.data}
        reload={async () => (await policy.refetch()).data}
      />
    );
  }
  return (
    <Stack>
      <Title order={1}>{t('policies:list.title')}</Title>
      {policy.isPending && <Loader size="sm" aria-label={t('common:states.loading')} />}
      <ApiErrorAlert error={policy.error} />
    </Stack>
  );
}
