import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconMailForward } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { notifyDone } from '../../components/notify';
import { formatDateTime, formatPersonName } from '../../i18n/format';
import { useLanguage } from '../../i18n/language';
import { invitationExpired } from './administrator-actions';
import type { Administrator } from './administrator-form';
import { useResendInvitation } from './administrators-api';

/**
 * A pending invitee (DESIGN §3 journey 12): until when their link works, or
 * that it has expired, and the button that sends a new link and temporary
 * password (the previous link stops working).
 */
export function PendingInvitation({ administrator }: { administrator: Administrator }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const resend = useResendInvitation(administrator.id);
  const expired = invitationExpired(administrator);
  const name = formatPersonName(administrator, language);
  const { email } = administrator;

  const send = () =>
    resend.mutate(undefined, {
      onSuccess: () => notifyDone(t('administrators:pending.resent', { email })),
    });

  return (
    <Alert
      variant="default"
      icon={<IconAlertTriangle color="var(--mantine-color-orange-7)" aria-hidden />}
      title={t('administrators:pending.title', { name })}
      data-testid="pending-invitation"
      data-email={email}
    >
      <Stack gap="xs">
        <Text size="sm">
          {expired
            ? t('administrators:pending.expired', { email })
            : t('administrators:pending.validUntil', {
                email,
                date: formatDateTime(administrator.invitationExpiresAt, language, t),
              })}
        </Text>
        <Group>
          <Button
            size="xs"
            variant="default"
            leftSection={<IconMailForward size={16} aria-hidden />}
            loading={resend.isPending}
            onClick={send}
          >
            {t('administrators:pending.resend')}
          </Button>
        </Group>
        <ApiErrorAlert error={resend.error ?? undefined} />
      </Stack>
    </Alert>
  );
}
