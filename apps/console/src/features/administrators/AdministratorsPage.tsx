import { Button, Group, Loader, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { IconUserPlus } from '@tabler/icons-react';
import { CONSOLE_APP_PATHS, consoleAppPath } from '@warden/contracts';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAdministratorList } from '../../api/administrators';
import { useMe } from '../../auth/me';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { formatDateTime, formatPersonName } from '../../i18n/format';
import { useLanguage } from '../../i18n/language';
import { AdministratorActionMenu } from './AdministratorActionMenu';
import {
  IdentityBadges,
  StateBadge,
  TwoFactorBadge,
  useAccountTypeLabel,
} from './AdministratorBadges';
import type { Administrator } from './administrator-form';
import { PendingInvitation } from './PendingInvitation';

/** The console's administrators (super admins only: the navigation hides it from others). */
export function AdministratorsPage() {
  const { t } = useTranslation();
  const list = useAdministratorList();
  const administrators = list.data?.pages.flatMap((page) => page.items) ?? [];
  const pending = administrators.filter((administrator) => administrator.state === 'invited');

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t('administrators:list.title')}</Title>
        <Button
          component={Link}
          to={CONSOLE_APP_PATHS.inviteAdministrator}
          leftSection={<IconUserPlus size={18} aria-hidden />}
        >
          {t('administrators:list.add')}
        </Button>
      </Group>
      <ApiErrorAlert error={list.error ?? undefined} />
      {pending.map((administrator) => (
        <PendingInvitation key={administrator.id} administrator={administrator} />
      ))}
      {list.isPending ? (
        <Loader aria-label={t('states.loading')} />
      ) : (
        <AdministratorTable administrators={administrators} />
      )}
      {list.hasNextPage && (
        <Group>
          <Button
            variant="default"
            loading={list.isFetchingNextPage}
            onClick={() => void list.fetchNextPage()}
          >
            {t('actions.loadMore')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function AdministratorTable({ administrators }: { administrators: Administrator[] }) {
  const { t } = useTranslation();
  const me = useMe();
  if (administrators.length === 0) return <Text c="dimmed">{t('administrators:list.empty')}</Text>;
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table
        striped
        highlightOnHover
        verticalSpacing="sm"
        aria-label={t('administrators:list.caption')}
      >
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('administrators:columns.name')}</Table.Th>
            <Table.Th>{t('administrators:columns.email')}</Table.Th>
            <Table.Th>{t('administrators:columns.accountType')}</Table.Th>
            <Table.Th>{t('administrators:columns.twoFactor')}</Table.Th>
            <Table.Th>{t('administrators:columns.state')}</Table.Th>
            <Table.Th>
              <VisuallyHidden>{t('administrators:columns.actions')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {administrators.map((administrator) => (
            <AdministratorRow
              key={administrator.id}
              administrator={administrator}
              meId={me.data?.id}
            />
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function AdministratorRow({
  administrator,
  meId,
}: {
  administrator: Administrator;
  meId: string | undefined;
}) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const accountType = useAccountTypeLabel();
  const name = formatPersonName(administrator, language);
  return (
    <Table.Tr data-email={administrator.email}>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          <Link to={consoleAppPath('administrator', { administratorId: administrator.id })}>
            {name}
          </Link>
          <IdentityBadges administrator={administrator} self={administrator.id === meId} />
        </Group>
      </Table.Td>
      <Table.Td>{administrator.email}</Table.Td>
      <Table.Td>{accountType(administrator.accountType)}</Table.Td>
      <Table.Td>
        <TwoFactorBadge twoFactor={administrator.twoFactor} />
      </Table.Td>
      <Table.Td>
        <StateBadge state={administrator.state} />
        {administrator.state === 'locked' && administrator.lockedUntil && (
          <Text size="xs" c="dimmed">
            {t('administrators:lockedUntil', {
              date: formatDateTime(administrator.lockedUntil, language, t),
            })}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <AdministratorActionMenu administrator={administrator} meId={meId} name={name} />
      </Table.Td>
    </Table.Tr>
  );
}
