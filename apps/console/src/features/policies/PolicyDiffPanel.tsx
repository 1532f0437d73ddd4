import { Group, Loader, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { useLanguage } from '../../i18n/language';
import { settingValueLabel } from './policy-form';
import type { PolicySummary } from '../../api/policies';
import { type PolicyDiff, usePolicyDiff } from './policy-queries';

/** Two policies side by side: the settings in which they differ, with both values. */
export function PolicyDiffPanel({ policies }: { policies: readonly PolicySummary[] }) {
  const { t } = useTranslation();
  const [left, setLeft] = useState<string | null>(null);
  const [right, setRight] = useState<string | null>(null);
  const diff = usePolicyDiff(left, right);
  const options = policies.map((policy) => ({ value: policy.id, label: policy.name }));
  const nameOf = (id: string | null) => policies.find((policy) => policy.id === id)?.name ?? '';

  return (
    <Stack component="section" aria-labelledby="policy-diff-title" gap="sm">
      <Title order={2} id="policy-diff-title">
        {t('policies:diff.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('policies:diff.help')}
      </Text>
      <Group grow align="flex-start">
        <Select
          label={t('policies:diff.left')}
          data={options}
          value={left}
          onChange={setLeft}
          searchable
        />
        <Select
          label={t('policies:diff.right')}
          data={options}
          value={right}
          onChange={setRight}
          searchable
        />
      </Group>
      {diff.isLoading && <Loader size="sm" aria-label={t('common:states.loading')} />}
      <ApiErrorAlert error={diff.error} />
      {diff.data && (
        <DiffTable diff={diff.data} leftName={nameOf(left)} rightName={nameOf(right)} />
      )}
    </Stack>
  );
}

function DiffTable({
  diff,
  leftName,
  rightName,
}: {
  diff: PolicyDiff;
  leftName: string;
  rightName: string;
}) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  if (diff.items.length === 0) return <Text size="sm">{t('policies:diff.same')}</Text>;
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table aria-label={t('policies:diff.title')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('policies:diff.section')}</Table.Th>
            <Table.Th>{t('policies:diff.setting')}</Table.Th>
            <Table.Th>{leftName}</Table.Th>
            <Table.Th>{rightName}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {diff.items.map((item) => (
            <Table.Tr key={item.path}>
              <Table.Td>{item.sectionLabel}</Table.Td>
              <Table.Td>{item.settingLabel}</Table.Td>
              <Table.Td>{settingValueLabel(item.path, item.a, language)}</Table.Td>
              <Table.Td>{settingValueLabel(item.path, item.b, language)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
