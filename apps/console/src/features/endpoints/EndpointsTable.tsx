import {
  ActionIcon,
  Anchor,
  Badge,
  Checkbox,
  Group,
  Table,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconArrowsSort, IconShieldCog } from '@tabler/icons-react';
import { consoleAppPath, type EndpointSortKey, type EndpointStatus } from '@warden/contracts';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDateTime } from '../../i18n/format';
import { useLanguage } from '../../i18n/language';
import { PolicyName } from './PolicyName';
import { type EndpointRow, type Group as EndpointGroup } from './queries';
import { groupLabel } from './group-label';
import type { EndpointTableState } from './table-state';

/** The columns of DESIGN §3 journey 10, each with the key the API sorts it by. */
const COLUMNS = [
  { key: 'group', sort: 'group' },
  { key: 'name', sort: 'hostname' },
  { key: 'status', sort: 'status' },
  { key: 'product', sort: 'agentVersion' },
  { key: 'policy', sort: 'policy' },
  { key: 'lastSeen', sort: 'lastSeenAt' },
  { key: 'lastInfection', sort: 'lastInfectionAt' },
] as const satisfies readonly { key: string; sort: EndpointSortKey }[];

const STATUS_COLOURS: Record<EndpointStatus, string> = {
  protected: 'green',
  infected: 'red',
  not_seen_recently: 'yellow',
  deactivation_pending: 'gray',
  deactivated: 'gray',
  removal_unverified: 'orange',
};

export function StatusBadge({ status }: { status: EndpointStatus }) {
  const { t } = useTranslation();
  return (
    // The dot variant: the label in the text colour, legible on any row.
    <Badge color={STATUS_COLOURS[status]} variant="dot">
      {t(`common:endpointStatus.${status}`)}
    </Badge>
  );
}

export interface EndpointsTableProps {
  rows: EndpointRow[];
  groups: EndpointGroup[];
  state: EndpointTableState;
  /** Whether rows can be picked (the toolbar has something to do with them). */
  selectable: boolean;
  onSort: (sort: EndpointSortKey) => void;
  onToggleRow: (endpointId: string) => void;
  onTogglePage: (selected: boolean) => void;
  /** Absent: the administrator may not change the endpoints' policies (no column for it). */
  onChangePolicy?: (row: EndpointRow) => void;
}

export function EndpointsTable(props: EndpointsTableProps) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const groupById = new Map(props.groups.map((group) => [group.id, group]));
  const { selection } = props.state;
  const isSelected = (id: string) =>
    selection.kind === 'allMatching' || selection.endpointIds.includes(id);
  const selectedOnPage = props.rows.filter((row) => isSelected(row.id)).length;
  return (
    <Table.ScrollContainer minWidth={1000}>
      <Table striped highlightOnHover aria-label={t('endpoints:tableLabel')}>
        <Table.Thead>
          <Table.Tr>
            {props.selectable && (
              <Table.Th w={40}>
                <Checkbox
                  aria-label={t('endpoints:selection.page')}
                  checked={props.rows.length > 0 && selectedOnPage === props.rows.length}
                  indeterminate={selectedOnPage > 0 && selectedOnPage < props.rows.length}
                  disabled={selection.kind === 'allMatching' || props.rows.length === 0}
                  onChange={(event) => props.onTogglePage(event.currentTarget.checked)}
                />
              </Table.Th>
            )}
            {COLUMNS.map((column) => (
              <SortableHeader
                key={column.key}
                label={t(`endpoints:columns.${column.key}`)}
                direction={props.state.sort === column.sort ? props.state.order : undefined}
                onSort={() => props.onSort(column.sort)}
              />
            ))}
            {props.onChangePolicy && <Table.Th>{t('endpoints:actionsColumn')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {props.rows.map((row) => {
            const group = groupById.get(row.groupId);
            return (
              <Table.Tr key={row.id}>
                {props.selectable && (
                  <Table.Td>
                    <Checkbox
                      aria-label={t('endpoints:selection.row', { hostname: row.hostname })}
                      checked={isSelected(row.id)}
                      disabled={selection.kind === 'allMatching'}
                      onChange={() => props.onToggleRow(row.id)}
                    />
                  </Table.Td>
                )}
                <Table.Td>{group ? groupLabel(group, t) : row.groupName}</Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={consoleAppPath('endpoint', { endpointId: row.id })}>
                    {row.hostname}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={row.status} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{t('endpoints:product', { version: row.agentVersion })}</Text>
                </Table.Td>
                <Table.Td>
                  <PolicyName policy={row.policy} />
                </Table.Td>
                <Table.Td>{formatDateTime(row.lastSeenAt, language, t)}</Table.Td>
                <Table.Td>{formatDateTime(row.lastInfectionAt, language, t)}</Table.Td>
                {props.onChangePolicy && (
                  <Table.Td>
                    <ActionIcon
                      variant="subtle"
                      aria-label={t('endpoints:policyDialog.openOne', { hostname: row.hostname })}
                      onClick={() => props.onChangePolicy?.(row)}
                    >
                      <IconShieldCog size={16} aria-hidden />
                    </ActionIcon>
                  </Table.Td>
                )}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** A column header that sorts by its column; screen readers hear the order through aria-sort. */
function SortableHeader(props: {
  label: string;
  direction: 'asc' | 'desc' | undefined;
  onSort: () => void;
}) {
  const Icon =
    props.direction === 'asc'
      ? IconArrowUp
      : props.direction === 'desc'
        ? IconArrowDown
        : IconArrowsSort;
  const ariaSort =
    props.direction === 'asc' ? 'ascending' : props.direction === 'desc' ? 'descending' : 'none';
  return (
    <Table.Th aria-sort={ariaSort}>
      <UnstyledButton onClick={props.onSort}>
        <Group gap={4} wrap="nowrap">
          <Text fw={600} size="sm">
            {props.label}
          </Text>
          <Icon size={14} aria-hidden />
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}
