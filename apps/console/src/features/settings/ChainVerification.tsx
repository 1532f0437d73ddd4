import { Badge, Button, Group, Paper, Text, Title } from '@mantine/core';
import { IconShieldCheck } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { formatNumber } from '../../i18n/format';
import { useLanguage } from '../../i18n/language';

/**
 * "Verify the chain": the console's audit events are a hash chain, and this
 * says whether it is intact or where it first breaks.
 */
export function ChainVerification() {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const verify = useMutation({
    mutationFn: () => unwrap(api.GET('/api/v1/audit-events/verify')),
  });
  const result = verify.data;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="audit-chain-title">
      <Group justify="space-between" align="center">
        <div>
          <Title order={2} size="h4" id="audit-chain-title">
            {t('settings:audit.chain.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('settings:audit.chain.explanation')}
          </Text>
        </div>
        <Button
          variant="default"
          leftSection={<IconShieldCheck size={16} aria-hidden />}
          loading={verify.isPending}
          onClick={() => verify.mutate()}
        >
          {t('settings:audit.chain.verify')}
        </Button>
      </Group>
      {result && (
        <Group mt="sm" gap="sm" role="status">
          {result.intact ? (
            <Badge color="teal" size="lg" data-chain="intact">
              {t('settings:audit.chain.intact')}
            </Badge>
          ) : (
            <Badge color="red" size="lg" data-chain="broken">
              {t('settings:audit.chain.broken')}
            </Badge>
          )}
          <Text size="sm">
            {t('settings:audit.chain.checked', {
              count: result.checked,
              checked: formatNumber(result.checked, language),
            })}
          </Text>
          {result.firstBreak && (
            <Text size="sm" c="red">
              {t('settings:audit.chain.breakAt', {
                seq: result.firstBreak.seq,
                eventId: result.firstBreak.eventId ?? t('common:states.none'),
                reason: t(`settings:audit.chain.reasons.${result.firstBreak.reason}`),
              })}
            </Text>
          )}
        </Group>
      )}
      <ApiErrorAlert error={verify.error} />
    </Paper>
  );
}
