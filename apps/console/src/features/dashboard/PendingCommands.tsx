import { Paper, Stack, Table, Text, Title } from '@mantine/core';
import { consoleAppPath } from '@warden/contracts';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { formatDateTime } from '../../i18n/format';
import { useLanguage } from '../../i18n/language';
import { CommandStateBadge } from '../commands/CommandStateBadge';
import { usePendingCommands } from './dashboard-queries';
import { PageLink } from './PageLink';

/** Commands sent but not yet acknowledged: the lag an administrator should see. */
export function PendingCommands({ siteName }: { siteName: (siteId: string) => string }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const titleId = useId();
  const pending = usePendingCommands();
  const commands = pending.data?.items ?? [];

  return (
    <Paper component="section" aria-labelledby={titleId} withBorder p="md" radius="md">
      <Stack gap="sm">
        <Title order={2} size="h3" id={titleId}>
          {t('dashboard:commands.title')}
        </Title>
        <ApiErrorAlert error={pending.error} />
        {pending.isSuccess && commands.length === 0 ? (
          <Text c="dimmed">{t('dashboard:commands.empty')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={520}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('dashboard:commands.hostname')}</Table.Th>
                  <Table.Th>{t('dashboard:commands.type')}</Table.Th>
                  <Table.Th>{t('dashboard:commands.state')}</Table.Th>
                  <Table.Th>{t('dashboard:commands.site')}</Table.Th>
                  <Table.Th>{t('dashboard:commands.createdAt')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {commands.map((command) => (
                  <Table.Tr key={command.id}>
                    <Table.Td>
                      <PageLink to={consoleAppPath('endpoint', { endpointId: command.deviceId })}>
                        {command.hostname}
                      </PageLink>
                    </Table.Td>
                    <Table.Td>{t(`commands:types.${command.type}`)}</Table.Td>
                    <Table.Td>
                      <CommandStateBadge state={command.state} />
                    </Table.Td>
                    <Table.Td>{siteName(command.siteId)}</Table.Td>
                    <Table.Td>{formatDateTime(command.createdAt, language, t)}</Table.Td>
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
