import { Table } from '@mantine/core';
import { consoleAppPath } from '@warden/contracts';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../i18n/format';
import { useLanguage } from '../../i18n/language';
import { DashboardTable } from './DashboardTable';
import { latestThreat } from './dashboard';
import { useRecentDetections } from './dashboard-queries';
import { PageLink } from './PageLink';

/** The endpoints infected last: name, threat and when. */
export function RecentDetections({ siteName }: { siteName: (siteId: string) => string }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const { list, details } = useRecentDetections();
  const endpoints = list.data ?? [];

  return (
    <DashboardTable
      title={t('dashboard:detections.title')}
      error={list.error}
      empty={list.isSuccess && endpoints.length === 0}
      emptyText={t('dashboard:detections.empty')}
      columns={[
        t('dashboard:detections.hostname'),
        t('dashboard:detections.threat'),
        t('dashboard:detections.site'),
        t('dashboard:detections.lastInfection'),
      ]}
    >
      {endpoints.map((endpoint, index) => (
        <Table.Tr key={endpoint.id}>
          <Table.Td>
            <PageLink to={consoleAppPath('endpoint', { endpointId: endpoint.id })}>
              {endpoint.hostname}
            </PageLink>
          </Table.Td>
          <Table.Td>
            {latestThreat(details[index]?.detections ?? []) ?? t('common:states.none')}
          </Table.Td>
          <Table.Td>{siteName(endpoint.siteId)}</Table.Td>
          <Table.Td>{formatDateTime(endpoint.lastInfectionAt, language, t)}</Table.Td>
        </Table.Tr>
      ))}
    </DashboardTable>
  );
}
