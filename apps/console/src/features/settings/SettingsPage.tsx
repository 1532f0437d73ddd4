import { Alert, Loader, Stack, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { ConsoleSettingsSection } from './ConsoleSettingsSection';
import { SETTINGS_QUERY_KEY } from './settings-forms';
import { SiteSettingsSection } from './SiteSettingsSection';

/** 設定: the console's details, then each site the administrator may see (設定 › エンドポイント). */
export function SettingsPage() {
  const { t } = useTranslation();
  const settings = useQuery({
    queryKey: SETTINGS_QUERY_KEY,
    queryFn: () => unwrap(api.GET('/api/v1/settings')),
  });
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
