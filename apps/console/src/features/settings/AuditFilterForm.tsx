import { Button, Group, Paper, Select, SimpleGrid, TextInput } from '@mantine/core';
import { IconFilter } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditNames } from './audit-names';
import { ACTOR_TYPES, type AuditFilter, NO_FILTER, OUTCOMES } from './audit-filters';

/** A Select's "any" choice: the filter holds '' for it, which a Select cannot show as an option. */
const ANY = '*';
const selected = (value: string) => (value === '' ? ANY : value);
const filterValue = (value: string | null) => (value === null || value === ANY ? '' : value);

/** A Select's choices, "any" first. */
const withAny = (any: string, choices: { value: string; label: string }[]) => [
  { value: ANY, label: any },
  ...choices,
];
const choicesOf = (names: ReadonlyMap<string, string>) =>
  [...names].map(([value, label]) => ({ value, label }));

/** The filters the audit-events route takes; applied on submit, so typing does not refetch. */
export function AuditFilterForm({
  applied,
  names,
  onApply,
}: {
  applied: AuditFilter;
  names: AuditNames;
  onApply: (filter: AuditFilter) => void;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<AuditFilter>(applied);
  const set = <K extends keyof AuditFilter>(key: K, value: AuditFilter[K]) =>
    setDraft((current) => ({ ...current, [key]: value }));
  const any = t('settings:audit.filters.any');
  return (
    <Paper
      withBorder
      p="md"
      component="form"
      aria-label={t('settings:audit.filters.title')}
      onSubmit={(event) => {
        event.preventDefault();
        onApply(draft);
      }}
    >
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
        <TextInput
          label={t('settings:audit.filters.action')}
          placeholder={t('settings:audit.filters.actionPlaceholder')}
          value={draft.action}
          onChange={(event) => set('action', event.currentTarget.value)}
        />
        <Select
          label={t('settings:audit.filters.actorType')}
          data={withAny(
            any,
            ACTOR_TYPES.map((type) => ({
              value: type,
              label: t(`settings:audit.actorTypes.${type}`),
            })),
          )}
          value={selected(draft.actorType)}
          onChange={(value) => set('actorType', filterValue(value) as AuditFilter['actorType'])}
          allowDeselect={false}
        />
        <Select
          label={t('settings:audit.filters.actor')}
          data={withAny(any, choicesOf(names.administrators))}
          value={selected(draft.actorId)}
          onChange={(value) => set('actorId', filterValue(value))}
          searchable
          allowDeselect={false}
        />
        <Select
          label={t('settings:audit.filters.site')}
          data={withAny(any, choicesOf(names.sites))}
          value={selected(draft.siteId)}
          onChange={(value) => set('siteId', filterValue(value))}
          allowDeselect={false}
        />
        <TextInput
          label={t('settings:audit.filters.targetType')}
          placeholder={t('settings:audit.filters.targetTypePlaceholder')}
          value={draft.targetType}
          onChange={(event) => set('targetType', event.currentTarget.value)}
        />
        <TextInput
          label={t('settings:audit.filters.targetId')}
          value={draft.targetId}
          onChange={(event) => set('targetId', event.currentTarget.value)}
        />
        <Select
          label={t('settings:audit.filters.outcome')}
          data={withAny(
            any,
            OUTCOMES.map((outcome) => ({
              value: outcome,
              label: t(`settings:audit.outcomes.${outcome}`),
            })),
          )}
          value={selected(draft.outcome)}
          onChange={(value) => set('outcome', filterValue(value) as AuditFilter['outcome'])}
          allowDeselect={false}
        />
        <TextInput
          type="datetime-local"
          label={t('settings:audit.filters.from')}
          value={draft.from}
          onChange={(event) => set('from', event.currentTarget.value)}
        />
        <TextInput
          type="datetime-local"
          label={t('settings:audit.filters.to')}
          value={draft.to}
          onChange={(event) => set('to', event.currentTarget.value)}
        />
        <Group align="flex-end" gap="xs">
          <Button type="submit" leftSection={<IconFilter size={16} aria-hidden />}>
            {t('settings:audit.filters.apply')}
          </Button>
          <Button
            variant="subtle"
            onClick={() => {
              setDraft(NO_FILTER);
              onApply(NO_FILTER);
            }}
          >
            {t('settings:audit.filters.clear')}
          </Button>
        </Group>
      </SimpleGrid>
    </Paper>
  );
}
