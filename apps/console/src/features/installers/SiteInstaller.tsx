import { Accordion, Button, Code, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { CopyValueButton } from '../../components/CopyValueButton';
import { saveDownload } from '../../components/save-download';

/**
 * One site's installer: the bundle (the keycode is inside its content, so a
 * renamed file still enrols into this site) and, under the advanced
 * deployment options, the one-line install for scripted roll-out.
 */
export function SiteInstaller({ siteId, siteName }: { siteId: string; siteName: string }) {
  const { t } = useTranslation();
  const installer = useQuery({
    queryKey: ['installer', siteId],
    queryFn: () =>
      unwrap(api.GET('/api/v1/sites/{siteId}/installer', { params: { path: { siteId } } })),
  });
  const download = useMutation({
    mutationFn: (fileName: string) =>
      saveDownload(
        api.GET('/api/v1/sites/{siteId}/installer/bundle', {
          params: { path: { siteId } },
          parseAs: 'blob',
        }),
        { fileName, fallbackName: fileName },
      ),
  });
  const titleId = `installer-${siteId}-title`;
  const info = installer.data;

  return (
    <Paper withBorder p="lg" component="section" aria-labelledby={titleId}>
      <Stack>
        <Title order={2} id={titleId}>
          {siteName}
        </Title>
        {installer.isPending && <Loader aria-label={t('common:states.loading')} />}
        <ApiErrorAlert error={installer.error} />
        {info && (
          <>
            <Group justify="space-between" align="center">
              <div>
                <Text fw={500}>{t('installers:bundle.title')}</Text>
                <Text size="sm" c="dimmed">
                  {t('installers:bundle.explanation')}
                </Text>
              </div>
              <Button
                leftSection={<IconDownload size={16} aria-hidden />}
                loading={download.isPending}
                onClick={() => download.mutate(info.fileName)}
              >
                {t('installers:bundle.download', { fileName: info.fileName })}
              </Button>
            </Group>
            <ApiErrorAlert error={download.error} />
            <Accordion variant="contained">
              <Accordion.Item value="advanced">
                <Accordion.Control>{t('installers:advanced.title')}</Accordion.Control>
                <Accordion.Panel>
                  <Stack gap="xs">
                    <Text size="sm">{t('installers:advanced.explanation')}</Text>
                    <Group gap="xs" wrap="nowrap" align="flex-start">
                      <Code
                        block
                        data-testid="install-command"
                        // Wrapped, not scrolled: the whole command stays readable (and nothing needs keyboard scrolling).
                        style={{ flex: 1, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
                      >
                        {info.installCommand}
                      </Code>
                      <CopyValueButton
                        value={info.installCommand}
                        label={t('installers:advanced.copy')}
                      />
                    </Group>
                    <Text size="xs" c="dimmed">
                      {t('installers:advanced.keycodeWarning')}
                    </Text>
                  </Stack>
                </Accordion.Panel>
              </Accordion.Item>
            </Accordion>
          </>
        )}
      </Stack>
    </Paper>
  );
}
