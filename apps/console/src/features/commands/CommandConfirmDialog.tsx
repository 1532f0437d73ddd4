import { Alert, List, Loader, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { CommandSpecInput, CommandType } from '@warden/contracts';
import { useTranslation } from 'react-i18next';
import { useConsoleSettings } from '../../api/console-settings';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { formatNumber } from '../../i18n/format';
import { useLanguage } from '../../i18n/language';
import type { CommandPreview } from './command-queries';
import { isDestructive } from './command-spec';

interface CommandConfirmDialogProps {
  type: CommandType;
  spec: CommandSpecInput;
  /** The server's count of the target; undefined while it counts or when it refused. */
  preview: CommandPreview | undefined;
  previewing: boolean;
  sending: boolean;
  error: unknown;
  onSend: () => void;
  onClose: () => void;
}

/**
 * "Send this command to N endpoints?": the count the server will honour
 * (its confirmation token names exactly these endpoints), what it leaves out
 * and, for a deactivation, that billing goes on until removal is verified.
 */
export function CommandConfirmDialog(props: CommandConfirmDialogProps) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const sites = useConsoleSettings().data?.sites ?? [];
  const siteName = (siteId: string) => sites.find((site) => site.id === siteId)?.name ?? siteId;
  const preview = props.preview;
  const number = (value: number) => formatNumber(value, language);

  return (
    <ConfirmDialog
      opened
      title={t(`commands:types.${props.type}`)}
      confirmLabel={t('commands:confirm.send')}
      destructive={isDestructive(props.type)}
      busy={props.previewing || props.sending}
      error={props.error}
      onConfirm={props.onSend}
      onClose={props.onClose}
    >
      <Stack gap="sm">
        <Text size="sm">{t(`commands:descriptions.${props.type}`)}</Text>
        {props.previewing && (
          <Text size="sm" c="dimmed" role="status">
            <Loader size="xs" mr="xs" aria-hidden />
            {t('commands:confirm.previewing')}
          </Text>
        )}
        {preview && (
          <>
            <Text fw={600} data-testid="command-count">
              {t('commands:confirm.count', {
                count: preview.count,
                formatted: number(preview.count),
              })}
            </Text>
            {preview.skipped > 0 && (
              <Text size="sm" c="dimmed">
                {t('commands:confirm.skipped', {
                  count: preview.skipped,
                  formatted: number(preview.skipped),
                })}
              </Text>
            )}
            {preview.sites.length > 1 && (
              <div>
                <Text size="sm">{t('commands:confirm.perSite')}</Text>
                <List size="sm">
                  {preview.sites.map((site) => (
                    <List.Item key={site.siteId}>
                      {t('commands:confirm.siteCount', {
                        site: siteName(site.siteId),
                        count: number(site.count),
                      })}
                    </List.Item>
                  ))}
                </List>
              </div>
            )}
            {props.spec.type === 'change_keycode' && (
              <Text size="sm">
                {t('commands:confirm.keycode', { keycode: props.spec.parameters.keycode })}
              </Text>
            )}
            {preview.warning === 'BILLING_UNTIL_REMOVAL_VERIFIED' && (
              <Alert color="orange" icon={<IconAlertTriangle aria-hidden />}>
                {t('commands:confirm.billingWarning')}
              </Alert>
            )}
            <Text size="sm" c="dimmed">
              {t('commands:confirm.delivery')}
            </Text>
          </>
        )}
      </Stack>
    </ConfirmDialog>
  );
}
