import { Table } from '@mantine/core';
import { consoleAppPath } from '@warden/contracts';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../i18n/format';
import { useLanguage } from '../../i18n/language';
import { CommandStateBadge } from '../commands/CommandStateBadge';
import { DashboardTable } from './DashboardTable';
import { usePendingCommands } from './dashboard-queries';
import { PageLink } from './PageLink';

/** Commands sent but not yet acknowledged: the lag an administrator should see. */
export function PendingCommands({ siteName }: { siteName: (siteId: string) => string }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const pending = usePendingCommands();
  const commands = pending.data?.items ?? [];

  return (
    <DashboardTable
      title={t('dashboard:commands.title')}
      error={pending.error}
      empty={pending.isSuccess && commands.length === 0}
      emptyText={t('dashboard:commands.empty')}
      columns={[
        t('dashboard:commands.hostname'),
        t('dashboard:commands.type'),
        t('dashboard:commands.state'),
        t('dashboard:commands.site'),
        t('dashboard:commands.createdAt'),
      ]}
    >
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
    </DashboardTable>
  );
}
