import { Alert, Loader, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useConsoleSettings } from '../../api/console-settings';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { SiteInstaller } from './SiteInstaller';

/** ダウンロード: per site the administrator may see, the agent bundle and the one-line install. */
export function InstallersPage() {
  const { t } = useTranslation();
  const settings = useConsoleSettings();
  return (
    <Stack gap="lg">
      <Title order={1}>{t('installers:title')}</Title>
      <Text c="dimmed">{t('installers:intro')}</Text>
      {settings.isPending && <Loader aria-label={t('common:states.loading')} />}
      <ApiErrorAlert error={settings.error} />
      {settings.data?.sites.length === 0 && <Alert color="gray">{t('installers:noSites')}</Alert>}
      {settings.data?.sites.map((site) => (
        <SiteInstaller key={site.id} siteId={site.id} siteName={site.name} />
      ))}
    </Stack>
  );
}
