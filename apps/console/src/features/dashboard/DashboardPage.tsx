import { Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { useConsoleSettings } from '../../api/console-settings';
import { PendingCommands } from './PendingCommands';
import { RecentDetections } from './RecentDetections';
import { SiteOverview } from './SiteOverview';

/** The console at a glance: each site's seats and endpoints, recent detections, commands under way. */
export function DashboardPage() {
  const { t } = useTranslation();
  const settings = useConsoleSettings();
  const sites = settings.data?.sites ?? [];
  const siteName = (siteId: string) => sites.find((site) => site.id === siteId)?.name ?? siteId;

  return (
    <Stack>
      <Title order={1}>{t('nav.dashboard')}</Title>
      <ApiErrorAlert error={settings.error} />
      {settings.isPending && <Loader aria-label={t('common:states.loading')} />}
      {settings.isSuccess && sites.length === 0 && <Text>{t('dashboard:noSites')}</Text>}
      <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }}>
        {sites.map((site) => (
          <SiteOverview key={site.id} site={site} />
        ))}
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <RecentDetections siteName={siteName} />
        <PendingCommands siteName={siteName} />
      </SimpleGrid>
    </Stack>
  );
}
