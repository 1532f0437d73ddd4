import { Anchor, Badge, Button, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { usePermissions } from '../../auth/me';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { formatDateTime, formatNumber } from '../../i18n/format';
import { useLanguage } from '../../i18n/language';
import { CopyPolicyDialog, type CopySource } from './CopyPolicyDialog';
import { DeletePolicyDialog } from './DeletePolicyDialog';
import { PolicyDiffPanel } from './PolicyDiffPanel';
import { type PolicySummary, usePolicies } from '../../api/policies';
import { policyPath } from './policy-queries';

/** Journey 6: the policies (built-ins first), copying, deleting and comparing them. */
export function PoliciesPage() {
  const { t } = useTranslation();
  const policies = usePolicies();
  const { administersAnySite } = usePermissions();
  const [copySource, setCopySource] = useState<CopySource | null>(null);
  const [toDelete, setToDelete] = useState<PolicySummary | null>(null);
  const items = policies.data ?? [];

  return (
    <Stack gap="xl">
      <Stack gap="sm">
        <Title order={1}>{t('policies:list.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('policies:list.help')}
        </Text>
        {policies.isPending && <Loader size="sm" aria-label={t('common:states.loading')} />}
        <ApiErrorAlert error={policies.error} />
        {policies.data && (
          <PolicyTable
            policies={items}
            canChange={administersAnySite}
            onCopy={setCopySource}
            onDelete={setToDelete}
          />
        )}
      </Stack>
      {policies.data && <PolicyDiffPanel policies={items} />}
      <CopyPolicyDialog source={copySource} onClose={() => setCopySource(null)} />
      <DeletePolicyDialog policy={toDelete} policies={items} onClose={() => setToDelete(null)} />
    </Stack>
  );
}

interface PolicyTableProps {
  policies: readonly PolicySummary[];
  /** Administrators who may change policies see the copy and delete actions. */
  canChange: boolean;
  onCopy: (policy: PolicySummary) => void;
  onDelete: (policy: PolicySummary) => void;
}

function PolicyTable({ policies, canChange, onCopy, onDelete }: PolicyTableProps) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table highlightOnHover aria-label={t('policies:list.title')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th miw={220}>{t('policies:fields.name')}</Table.Th>
            <Table.Th>{t('policies:fields.description')}</Table.Th>
            <Table.Th>{t('policies:list.usedByEndpoints')}</Table.Th>
            <Table.Th>{t('policies:list.updatedAt')}</Table.Th>
            {canChange && <Table.Th>{t('policies:list.actions')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {policies.map((policy) => (
            <Table.Tr key={policy.id} data-policy-id={policy.id}>
              <Table.Td>
                <Group gap="xs">
                  <Anchor component={Link} to={policyPath(policy.id)}>
                    {policy.name}
                  </Anchor>
                  {policy.builtin && (
                    <Badge variant="light" size="sm">
                      {t('policies:builtin')}
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td>
                <Text size="sm" lineClamp={2}>
                  {policy.description}
                </Text>
              </Table.Td>
              <Table.Td>{formatNumber(policy.usedByEndpoints, language)}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                {formatDateTime(policy.updatedAt, language, t)}
              </Table.Td>
              {canChange && (
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Button
                      size="xs"
                      variant="light"
                      onClick={() => onCopy(policy)}
                      aria-label={t('policies:list.copyOf', { name: policy.name })}
                    >
                      {t('common:actions.copy')}
                    </Button>
                    {!policy.builtin && (
                      <Button
                        size="xs"
                        variant="light"
                        color="red"
                        onClick={() => onDelete(policy)}
                        aria-label={t('policies:list.deleteOf', { name: policy.name })}
                      >
                        {t('common:actions.delete')}
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
