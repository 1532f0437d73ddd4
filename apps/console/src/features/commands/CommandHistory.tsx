import { ActionIcon, Stack, Table, Text, Title, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconX } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ENDPOINTS_QUERY_KEY } from '../../api/endpoints';
import { usePermissions } from '../../auth/me';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { notifyDone } from '../../components/notify';
import { formatDateTime } from '../../i18n/format';
import { useLanguage } from '../../i18n/language';
import { CommandStateBadge } from './CommandStateBadge';
import { COMMANDS_QUERY_KEY, type CommandView, cancelCommand } from './command-queries';
import { isCancellable } from './command-spec';

/** The newest commands an endpoint's page shows; older ones rarely matter there. */
const HISTORY_LIMIT = 50;

/** An endpoint's commands, newest first, with their states; pending ones can be cancelled. */
export function CommandHistory({ endpointId }: { endpointId: string }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const permissions = usePermissions();
  const queryClient = useQueryClient();
  const [cancelling, setCancelling] = useState<CommandView>();

  const history = useQuery({
    queryKey: [...COMMANDS_QUERY_KEY, 'endpoint', endpointId],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/endpoints/{endpointId}/commands', {
          params: { path: { endpointId }, query: { limit: HISTORY_LIMIT } },
        }),
      ),
  });
  const cancel = useMutation({
    mutationFn: cancelCommand,
    onSuccess: () => {
      setCancelling(undefined);
      notifyDone(t('commands:history.cancelled'));
      void queryClient.invalidateQueries({ queryKey: COMMANDS_QUERY_KEY });
      // Cancelling a deactivation puts the endpoint back to active.
      void queryClient.invalidateQueries({ queryKey: ENDPOINTS_QUERY_KEY });
    },
  });
  const when = (value: string | null) => formatDateTime(value, language, t);
  const commands = history.data?.items ?? [];
  const mayCancel = (command: CommandView) =>
    isCancellable(command.state) && permissions.administers(command.siteId);

  return (
    <Stack gap="sm">
      <Title order={2} size="h3">
        {t('commands:history.title')}
      </Title>
      <ApiErrorAlert error={history.error} />
      {history.isSuccess && commands.length === 0 ? (
        <Text c="dimmed">{t('commands:history.empty')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('commands:history.type')}</Table.Th>
                <Table.Th>{t('commands:history.state')}</Table.Th>
                <Table.Th>{t('commands:history.createdAt')}</Table.Th>
                <Table.Th>{t('commands:history.deliveredAt')}</Table.Th>
                <Table.Th>{t('commands:history.completedAt')}</Table.Th>
                <Table.Th>{t('commands:history.issuedBy')}</Table.Th>
                <Table.Th>{t('commands:history.result')}</Table.Th>
                <Table.Th>
                  <VisuallyHidden>{t('commands:history.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {commands.map((command) => (
                <Table.Tr key={command.id} data-command-id={command.id}>
                  <Table.Td>{t(`commands:types.${command.type}`)}</Table.Td>
                  <Table.Td>
                    <CommandStateBadge state={command.state} />
                  </Table.Td>
                  <Table.Td>{when(command.createdAt)}</Table.Td>
                  <Table.Td>{when(command.deliveredAt)}</Table.Td>
                  <Table.Td>{when(command.completedAt)}</Table.Td>
                  <Table.Td>{t(`commands:history.issuers.${command.issuedBy.type}`)}</Table.Td>
                  <Table.Td>{command.resultMessage ?? t('common:states.none')}</Table.Td>
                  <Table.Td>
                    {mayCancel(command) && (
                      <Tooltip label={t('commands:history.cancel')}>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={t('commands:history.cancelLabel', {
                            command: t(`commands:types.${command.type}`),
                          })}
                          onClick={() => {
                            cancel.reset();
                            setCancelling(command);
                          }}
                        >
                          <IconX size={16} aria-hidden />
                        </ActionIcon>
                      </Tooltip>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {cancelling && (
        <ConfirmDialog
          opened
          title={t('commands:history.cancelTitle')}
          confirmLabel={t('commands:history.cancelConfirm')}
          destructive
          busy={cancel.isPending}
          error={cancel.error}
          onConfirm={() => cancel.mutate(cancelling.id)}
          onClose={() => setCancelling(undefined)}
        >
          <Text size="sm">
            {t('commands:history.cancelText', {
              command: t(`commands:types.${cancelling.type}`),
              hostname: cancelling.hostname,
            })}
          </Text>
        </ConfirmDialog>
      )}
    </Stack>
  );
}
