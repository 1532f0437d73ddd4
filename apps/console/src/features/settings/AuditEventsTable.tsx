import {
  ActionIcon,
  Badge,
  Button,
  Code,
  Group,
  Loader,
  Stack,
  Table,
  Text,
  VisuallyHidden,
} from '@mantine/core';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { usePolicies } from '../../api/policies';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { formatDateTime } from '../../i18n/format';
import { useLanguage } from '../../i18n/language';
import type { AuditNames } from './audit-names';
import {
  type AuditEvent,
  type AuditFilter,
  auditValueText,
  changedValues,
  listQueryOf,
} from './audit-filters';

const PAGE_SIZE = 50;
const COLUMNS = 8;

/** The audit events under `filter`, newest recorded first, a page at a time. */
export function AuditEventsTable({ filter, names }: { filter: AuditFilter; names: AuditNames }) {
  const { t } = useTranslation();
  const [expanded, setExpanded] = useState<string | null>(null);
  const events = useInfiniteQuery({
    queryKey: ['audit-events', filter],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/v1/audit-events', {
          params: { query: listQueryOf(filter, PAGE_SIZE, pageParam) },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const items = events.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Stack gap="sm">
      <ApiErrorAlert error={events.error} />
      <Table.ScrollContainer minWidth={900}>
        <Table striped highlightOnHover aria-label={t('settings:audit.tableLabel')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>
                <VisuallyHidden>{t('settings:audit.columns.details')}</VisuallyHidden>
              </Table.Th>
              <Table.Th>{t('settings:audit.columns.time')}</Table.Th>
              <Table.Th>{t('settings:audit.columns.actor')}</Table.Th>
              <Table.Th>{t('settings:audit.columns.action')}</Table.Th>
              <Table.Th>{t('settings:audit.columns.target')}</Table.Th>
              <Table.Th>{t('settings:audit.columns.site')}</Table.Th>
              <Table.Th>{t('settings:audit.columns.sourceIp')}</Table.Th>
              <Table.Th>{t('settings:audit.columns.outcome')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((event) => (
              <Fragment key={event.eventId}>
                <AuditEventRow
                  event={event}
                  names={names}
                  expanded={expanded === event.eventId}
                  onToggle={() =>
                    setExpanded((current) => (current === event.eventId ? null : event.eventId))
                  }
                />
                {expanded === event.eventId && (
                  <Table.Tr>
                    <Table.Td colSpan={COLUMNS}>
                      <AuditEventDetail event={event} />
                    </Table.Td>
                  </Table.Tr>
                )}
              </Fragment>
            ))}
            {events.isSuccess && items.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={COLUMNS}>
                  <Text c="dimmed">{t('settings:audit.empty')}</Text>
                </Table.Td>
              </Table.Tr>
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {events.isPending && <Loader aria-label={t('common:states.loading')} />}
      {events.hasNextPage && (
        <Group justify="center">
          <Button
            variant="default"
            loading={events.isFetchingNextPage}
            onClick={() => void events.fetchNextPage()}
          >
            {t('common:actions.loadMore')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function AuditEventRow({
  event,
  names,
  expanded,
  onToggle,
}: {
  event: AuditEvent;
  names: AuditNames;
  expanded: boolean;
  onToggle: () => void;
}) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const actorName =
    event.actor.type === 'admin' ? names.administrators.get(event.actor.id) : undefined;
  const siteName =
    event.siteId === null ? undefined : (names.sites.get(event.siteId) ?? event.siteId);
  return (
    <Table.Tr data-action={event.action}>
      <Table.Td>
        <ActionIcon
          variant="subtle"
          color="gray"
          onClick={onToggle}
          aria-expanded={expanded}
          aria-label={t('settings:audit.showDetails', { action: event.action })}
        >
          {expanded ? (
            <IconChevronDown size={16} aria-hidden />
          ) : (
            <IconChevronRight size={16} aria-hidden />
          )}
        </ActionIcon>
      </Table.Td>
      <Table.Td>{formatDateTime(event.occurredAt, language, t)}</Table.Td>
      <Table.Td>
        <Text size="sm">{actorName ?? event.actor.id}</Text>
        <Text size="xs" c="dimmed">
          {t(`settings:audit.actorTypes.${event.actor.type}`)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Code>{event.action}</Code>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{event.target.type}</Text>
        <Text size="xs" c="dimmed" ff="monospace">
          {event.target.id}
        </Text>
      </Table.Td>
      <Table.Td>{siteName ?? t('common:states.none')}</Table.Td>
      <Table.Td ff="monospace">{event.sourceIp ?? t('common:states.none')}</Table.Td>
      <Table.Td>
        <Badge color={event.outcome === 'success' ? 'teal' : 'red'}>
          {t(`settings:audit.outcomes.${event.outcome}`)}
        </Badge>
      </Table.Td>
    </Table.Tr>
  );
}

/** An event's before → after, one line per field (a settings change reads as its changes). */
function AuditEventDetail({ event }: { event: AuditEvent }) {
  const { t } = useTranslation();
  const values = changedValues(event);
  const policies = usePolicies();
  const policyNames = new Map((policies.data ?? []).map((policy) => [policy.id, policy.name]));
  const none = t('common:states.none');
  return (
    <Stack gap="xs">
      <Text size="xs" c="dimmed">
        {t('settings:audit.detail.ids', { eventId: event.eventId, seq: event.seq })}
      </Text>
      {values.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('settings:audit.detail.noChanges')}
        </Text>
      ) : (
        <Table withTableBorder aria-label={t('settings:audit.detail.label')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('settings:audit.detail.field')}</Table.Th>
              <Table.Th>{t('settings:audit.detail.before')}</Table.Th>
              <Table.Th>{t('settings:audit.detail.after')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {values.map(({ field, before, after }) => (
              <Table.Tr key={field}>
                <Table.Td ff="monospace">{field}</Table.Td>
                <Table.Td>{auditValueText(before, field, policyNames) ?? none}</Table.Td>
                <Table.Td>{auditValueText(after, field, policyNames) ?? none}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
