import { Group, Select, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePolicies } from '../../api/policies';
import { useGroups } from './queries';
import { groupLabel } from './group-label';
import type { TableFilter } from './table-state';

/** Group, effective policy and a hostname search (sent once typing pauses). */
export function EndpointFilters(props: {
  siteId: string;
  filter: TableFilter;
  onChange: (filter: Partial<TableFilter>) => void;
}) {
  const { t } = useTranslation();
  const groups = useGroups(props.siteId).data ?? [];
  const policies = usePolicies().data ?? [];
  const [search, setSearch] = useState(props.filter.q);
  const sendSearch = useDebouncedCallback((q: string) => props.onChange({ q }), 300);
  return (
    <Group align="flex-end">
      <Select
        label={t('endpoints:columns.group')}
        placeholder={t('endpoints:filters.anyGroup')}
        data={groups.map((group) => ({ value: group.id, label: groupLabel(group, t) }))}
        value={props.filter.groupId ?? null}
        onChange={(groupId) => props.onChange({ groupId: groupId ?? undefined })}
        clearable
        w={220}
      />
      <Select
        label={t('endpoints:columns.policy')}
        placeholder={t('endpoints:filters.anyPolicy')}
        data={policies.map((policy) => ({ value: policy.id, label: policy.name }))}
        value={props.filter.policyId ?? null}
        onChange={(policyId) => props.onChange({ policyId: policyId ?? undefined })}
        clearable
        searchable
        w={260}
      />
      <TextInput
        label={t('endpoints:filters.search')}
        leftSection={<IconSearch size={16} aria-hidden />}
        value={search}
        onChange={(event) => {
          setSearch(event.currentTarget.value);
          sendSearch(event.currentTarget.value);
        }}
        w={260}
      />
    </Group>
  );
}
