import { Alert, Loader, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useConsoleSettings } from '../../api/console-settings';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { ConsoleSettingsSection } from './ConsoleSettingsSection';
import { SiteSettingsSection } from './SiteSettingsSection';

/** 設定: the console's details, then each site the administrator may see (設定 › エンドポイント). */
export function SettingsPage() {
  const { t } = useTranslation();
  const settings = useConsoleSettings();
  return (
    <Stack gap="lg">
      <Title order={1}>{t('settings:title')}</Title>
      {settings.isPending && <Loader aria-label={t('common:states.loading')} />}
      <ApiErrorAlert error={settings.error} />
      {settings.data && (
        <>
          <ConsoleSettingsSection detail={settings.data.console} />
          <Title order={2}>{t('settings:sites.title')}</Title>
          {settings.data.sites.length === 0 && (
            <Alert color="gray">{t('settings:sites.none')}</Alert>
          )}
          {settings.data.sites.map((site) => (
            <SiteSettingsSection key={site.id} site={site} />
          ))}
        </>
      )}
    </Stack>
  );
}
