import { Group, Paper, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { ENDPOINT_STATUSES } from '@warden/contracts';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { formatNumber } from '../../i18n/format';
import { useLanguage } from '../../i18n/language';
import { endpointsLink, seatShare } from './dashboard';
import { useStatusCounts } from '../../api/endpoints';
import { PageLink } from './PageLink';

export interface SiteSummary {
  id: string;
  name: string;
  usage: { seats: number; used: number; free: number; overage: number };
}

/** One site at a glance: its seats and how many endpoints are in each status. */
export function SiteOverview({ site }: { site: SiteSummary }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const titleId = useId();
  const counts = useStatusCounts(site.id);
  const number = (value: number) => formatNumber(value, language);
  const { usage } = site;

  return (
    <Paper component="section" aria-labelledby={titleId} withBorder p="md" radius="md">
      <Stack gap="sm">
        <Title order={2} size="h3" id={titleId}>
          {site.name}
        </Title>
        <Stack gap={4}>
          <Group justify="space-between">
            <Text size="sm" fw={600}>
              {t('dashboard:seats.title')}
            </Text>
            <Text size="sm" data-testid="seats-used">
              {t('dashboard:seats.used', { used: number(usage.used), seats: number(usage.seats) })}
            </Text>
          </Group>
          <Progress
            value={seatShare(usage)}
            color={usage.overage > 0 ? 'red' : 'blue'}
            aria-label={t('dashboard:seats.bar', { site: site.name })}
          />
          <Text size="sm" c="dimmed" data-testid="seats-free">
            {usage.overage > 0
              ? t('dashboard:seats.overage', { overage: number(usage.overage) })
              : t('dashboard:seats.free', { free: number(usage.free) })}
          </Text>
        </Stack>
        <ApiErrorAlert error={counts.error} />
        {counts.data && (
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('dashboard:status.status')}</Table.Th>
                <Table.Th ta="right">{t('dashboard:status.endpoints')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {ENDPOINT_STATUSES.map((status) => (
                <Table.Tr key={status} data-status={status}>
                  <Table.Td>
                    <PageLink to={endpointsLink(site.id, status)}>
                      {t(`common:endpointStatus.${status}`)}
                    </PageLink>
                  </Table.Td>
                  <Table.Td ta="right">{number(counts.data.counts[status])}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
            <Table.Tfoot>
              <Table.Tr>
                <Table.Th>
                  <PageLink to={endpointsLink(site.id)}>{t('dashboard:status.total')}</PageLink>
                </Table.Th>
                <Table.Th ta="right">{number(counts.data.total)}</Table.Th>
              </Table.Tr>
            </Table.Tfoot>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}
