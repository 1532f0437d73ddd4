import { Paper, Stack, Table, Text, Title } from '@mantine/core';
import { consoleAppPath } from '@warden/contracts';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { formatDateTime } from '../../i18n/format';
import { useLanguage } from '../../i18n/language';
import { latestThreat } from './dashboard';
import { useRecentDetections } from './dashboard-queries';
import { PageLink } from './PageLink';

/** The endpoints infected last: name, threat and when. */
export function RecentDetections({ siteName }: { siteName: (siteId: string) => string }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const titleId = useId();
  const { list, details } = useRecentDetections();
  const endpoints = list.data ?? [];

  return (
    <Paper component="section" aria-labelledby={titleId} withBorder p="md" radius="md">
      <Stack gap="sm">
        <Title order={2} size="h3" id={titleId}>
          {t('dashboard:detections.title')}
        </Title>
        <ApiErrorAlert error={list.error} />
        {list.isSuccess && endpoints.length === 0 ? (
          <Text c="dimmed">{t('dashboard:detections.empty')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={520}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('dashboard:detections.hostname')}</Table.Th>
                  <Table.Th>{t('dashboard:detections.threat')}</Table.Th>
                  <Table.Th>{t('dashboard:detections.site')}</Table.Th>
                  <Table.Th>{t('dashboard:detections.lastInfection')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
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
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Paper>
  );
}
