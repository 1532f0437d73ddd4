import { Button, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { IconFolderShare } from '@tabler/icons-react';
import type { EndpointStatus } from '@warden/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { Site } from '../../api/console-settings';
import { ApiError } from '../../api/errors';
import { usePermissions } from '../../auth/me';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { EndpointActions } from '../commands/EndpointActions';
import { EndpointFilters } from './EndpointFilters';
import { EndpointPolicyDialog } from './EndpointPolicyDialog';
import { EndpointsTable } from './EndpointsTable';
import { MoveDialog } from './MoveDialog';
import {
  type EndpointRow,
  useEndpointPage,
  useGroups,
  useRefreshEndpoints,
  useSites,
} from './queries';
import { SelectionBar } from './SelectionBar';
import { SiteSelect } from './SiteSelect';
import { useChosenSite } from './useChosenSite';
import { StatusChips } from './StatusChips';
import { TablePager } from './TablePager';
import {
  commandTargetOf,
  moveSelectionOf,
  selectedCount,
  statusesOf,
  useEndpointTable,
} from './table-state';

/** "All endpoints" (DESIGN §3 journey 10): one site's endpoints at a time. */
export function EndpointsPage() {
  const { t } = useTranslation();
  const sites = useSites();
  const [siteId, chooseSite] = useChosenSite(sites.data ?? []);
  const [params] = useSearchParams();
  return (
    <Stack>
      <Title order={1}>{t('endpoints:title')}</Title>
      <ApiErrorAlert error={sites.error} />
      {sites.isPending && <Loader aria-label={t('common:states.loading')} />}
      {sites.data?.length === 0 && <Text>{t('endpoints:noSites')}</Text>}
      {sites.data && siteId && (
        // A site of its own table state: another site's filters and selection mean nothing here.
        <SiteEndpoints
          key={siteId}
          sites={sites.data}
          siteId={siteId}
          initialStatus={statusesOf(params.getAll('status'))}
          onSiteChange={chooseSite}
        />
      )}
    </Stack>
  );
}

function SiteEndpoints(props: {
  sites: Site[];
  siteId: string;
  /** The statuses the address asked for (a dashboard link): the table starts filtered to them. */
  initialStatus: EndpointStatus[];
  onSiteChange: (siteId: string) => void;
}) {
  const { t } = useTranslation();
  const [state, dispatch] = useEndpointTable(props.siteId, props.initialStatus);
  const page = useEndpointPage(state);
  const groups = useGroups(state.siteId).data ?? [];
  const refresh = useRefreshEndpoints();
  const mayChange = usePermissions().administers(state.siteId);
  const [moving, setMoving] = useState(false);
  const [policyOf, setPolicyOf] = useState<EndpointRow>();

  const rows = page.data?.items ?? [];
  const matching = page.data?.total ?? 0;
  const count = selectedCount(state.selection, matching);
  const moveSelection = moveSelectionOf(state);
  const cursorExpired = page.error instanceof ApiError && page.error.code === 'CURSOR_INVALID';

  return (
    <Stack>
      <SiteSelect sites={props.sites} siteId={state.siteId} onChange={props.onSiteChange} />
      <StatusChips
        siteId={state.siteId}
        selected={state.filter.status}
        onToggle={(status) => dispatch({ type: 'statusToggled', status })}
        onClear={() => dispatch({ type: 'filterChanged', filter: { status: [] } })}
      />
      <EndpointFilters
        siteId={state.siteId}
        filter={state.filter}
        onChange={(filter) => dispatch({ type: 'filterChanged', filter })}
      />
      <Paper withBorder p="sm">
        <Stack>
          <Group justify="space-between" mih={36}>
            <SelectionBar
              selection={state.selection}
              count={count}
              matching={matching}
              onSelectAllMatching={() => dispatch({ type: 'allMatchingSelected' })}
              onClear={() => dispatch({ type: 'selectionCleared' })}
            />
            <Group>
              {mayChange && moveSelection && (
                <Button
                  variant="default"
                  leftSection={<IconFolderShare size={16} aria-hidden />}
                  onClick={() => setMoving(true)}
                >
                  {t('endpoints:move.open')}
                </Button>
              )}
              {mayChange && (
                <EndpointActions
                  target={commandTargetOf(state)}
                  count={count}
                  onIssued={() => {
                    dispatch({ type: 'selectionCleared' });
                    void refresh();
                  }}
                />
              )}
            </Group>
          </Group>
          <ApiErrorAlert error={page.error} />
          {cursorExpired && (
            <Button variant="default" onClick={() => dispatch({ type: 'firstPage' })}>
              {t('endpoints:pager.first')}
            </Button>
          )}
          <EndpointsTable
            rows={rows}
            groups={groups}
            state={state}
            selectable={mayChange}
            onSort={(sort) => dispatch({ type: 'sortToggled', sort })}
            onToggleRow={(endpointId) => dispatch({ type: 'rowToggled', endpointId })}
            onTogglePage={(selected) =>
              dispatch({ type: 'pageToggled', endpointIds: rows.map((r) => r.id), selected })
            }
            onChangePolicy={mayChange ? setPolicyOf : undefined}
          />
          {page.isSuccess && rows.length === 0 && <Text c="dimmed">{t('endpoints:empty')}</Text>}
          <TablePager
            page={state.cursors.length + 1}
            total={matching}
            pageSize={state.pageSize}
            hasNext={Boolean(page.data?.nextCursor) && !page.isPlaceholderData}
            onPrevious={() => dispatch({ type: 'previousPage' })}
            onNext={() => {
              const cursor = page.data?.nextCursor;
              if (cursor) dispatch({ type: 'nextPage', cursor });
            }}
            onPageSize={(pageSize) => dispatch({ type: 'pageSizeChanged', pageSize })}
          />
        </Stack>
      </Paper>
      {policyOf && (
        <EndpointPolicyDialog
          opened
          endpoint={{
            ...policyOf,
            // The row names the effective policy; it is the endpoint's own when its source says so.
            ownPolicyId: policyOf.policy.source === 'endpoint' ? policyOf.policy.policyId : null,
          }}
          onClose={() => setPolicyOf(undefined)}
        />
      )}
      {moveSelection && (
        <MoveDialog
          opened={moving}
          siteId={state.siteId}
          selection={moveSelection}
          count={count}
          onClose={() => setMoving(false)}
          onMoved={() => dispatch({ type: 'selectionCleared' })}
        />
      )}
    </Stack>
  );
}
