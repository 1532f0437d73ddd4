import { ActionIcon, Badge, Button, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { IconPencil, IconPlus, IconShieldCog, IconTrash } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { usePermissions } from '../../auth/me';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { formatNumber } from '../../i18n/format';
import type { Site } from '../../api/console-settings';
import { usePolicies } from '../../api/policies';
import { notifyDone } from '../../components/notify';
import { useLanguage } from '../../i18n/language';
import { GroupNameDialog } from './GroupNameDialog';
import { GroupPolicyDialog } from './GroupPolicyDialog';
import { type Group as EndpointGroup, useGroups, useRefreshEndpoints, useSites } from './queries';
import { groupLabel } from './group-label';
import { SiteSelect } from './SiteSelect';
import { useChosenSite } from './useChosenSite';

/** Per site: its groups, their policies and endpoint counts; create, rename, set policy, delete. */
export function GroupsPage() {
  const { t } = useTranslation();
  const sites = useSites();
  const [siteId, chooseSite] = useChosenSite(sites.data ?? []);
  return (
    <Stack>
      <Title order={1}>{t('endpoints:groups.title')}</Title>
      <ApiErrorAlert error={sites.error} />
      {sites.isPending && <Loader aria-label={t('common:states.loading')} />}
      {sites.data?.length === 0 && <Text>{t('endpoints:noSites')}</Text>}
      {sites.data && siteId && (
        <SiteGroups sites={sites.data} siteId={siteId} onSiteChange={chooseSite} />
      )}
    </Stack>
  );
}

type GroupDialog =
  { kind: 'create' } | { kind: 'rename' | 'policy' | 'delete'; group: EndpointGroup } | undefined;

function SiteGroups(props: {
  sites: Site[];
  siteId: string;
  onSiteChange: (siteId: string) => void;
}) {
  const { t } = useTranslation();
  const { siteId } = props;
  const groups = useGroups(siteId);
  const mayChange = usePermissions().administers(siteId);
  const [dialog, setDialog] = useState<GroupDialog>();
  const close = () => setDialog(undefined);
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <SiteSelect sites={props.sites} siteId={siteId} onChange={props.onSiteChange} />
        {mayChange && (
          <Button
            leftSection={<IconPlus size={16} aria-hidden />}
            onClick={() => setDialog({ kind: 'create' })}
          >
            {t('endpoints:groups.create')}
          </Button>
        )}
      </Group>
      <ApiErrorAlert error={groups.error} />
      {groups.data && (
        <GroupsTable
          groups={groups.data}
          mayChange={mayChange}
          onRename={(group) => setDialog({ kind: 'rename', group })}
          onPolicy={(group) => setDialog({ kind: 'policy', group })}
          onDelete={(group) => setDialog({ kind: 'delete', group })}
        />
      )}
      {dialog?.kind === 'create' && <GroupNameDialog siteId={siteId} onClose={close} />}
      {dialog?.kind === 'rename' && (
        <GroupNameDialog siteId={siteId} group={dialog.group} onClose={close} />
      )}
      {dialog?.kind === 'policy' && (
        <GroupPolicyDialog siteId={siteId} group={dialog.group} onClose={close} />
      )}
      {dialog?.kind === 'delete' && (
        <DeleteGroupDialog siteId={siteId} group={dialog.group} onClose={close} />
      )}
    </Stack>
  );
}

function GroupsTable(props: {
  groups: EndpointGroup[];
  mayChange: boolean;
  onRename: (group: EndpointGroup) => void;
  onPolicy: (group: EndpointGroup) => void;
  onDelete: (group: EndpointGroup) => void;
}) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const policyName = new Map((usePolicies().data ?? []).map((p) => [p.id, p.name]));
  return (
    <Table striped aria-label={t('endpoints:groups.title')}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('endpoints:groups.name')}</Table.Th>
          <Table.Th>{t('endpoints:columns.policy')}</Table.Th>
          <Table.Th ta="right">{t('endpoints:groups.endpointCount')}</Table.Th>
          {props.mayChange && <Table.Th>{t('endpoints:actionsColumn')}</Table.Th>}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {props.groups.map((group) => {
          const name = groupLabel(group, t);
          return (
            <Table.Tr key={group.id}>
              <Table.Td>
                <Group gap="xs">
                  <Text size="sm">{name}</Text>
                  {group.system && (
                    <Badge variant="light" color="gray">
                      {t('endpoints:groups.systemBadge')}
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td>
                {group.policyId
                  ? (policyName.get(group.policyId) ?? t('common:states.none'))
                  : t('endpoints:groups.followSite')}
              </Table.Td>
              <Table.Td ta="right">{formatNumber(group.endpointCount, language)}</Table.Td>
              {props.mayChange && (
                <Table.Td>
                  {/* "Deactivated devices" takes no change; the default group can be renamed, not deleted. */}
                  {group.system !== 'deactivated' && (
                    <Group gap={4} wrap="nowrap">
                      <ActionIcon
                        variant="subtle"
                        aria-label={t('endpoints:groups.renameOne', { name })}
                        onClick={() => props.onRename(group)}
                      >
                        <IconPencil size={16} aria-hidden />
                      </ActionIcon>
                      <ActionIcon
                        variant="subtle"
                        aria-label={t('endpoints:groups.policyOne', { name })}
                        onClick={() => props.onPolicy(group)}
                      >
                        <IconShieldCog size={16} aria-hidden />
                      </ActionIcon>
                      {group.system === null && (
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={t('endpoints:groups.deleteOne', { name })}
                          onClick={() => props.onDelete(group)}
                        >
                          <IconTrash size={16} aria-hidden />
                        </ActionIcon>
                      )}
                    </Group>
                  )}
                </Table.Td>
              )}
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}

function DeleteGroupDialog(props: { siteId: string; group: EndpointGroup; onClose: () => void }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const refresh = useRefreshEndpoints();
  const remove = useMutation({
    mutationFn: () =>
      unwrap(
        api.DELETE('/api/v1/sites/{siteId}/groups/{groupId}', {
          params: { path: { siteId: props.siteId, groupId: props.group.id } },
        }),
      ),
    onSuccess: async () => {
      notifyDone(t('endpoints:groups.deleted', { name: props.group.name }));
      await refresh();
      props.onClose();
    },
  });
  return (
    <ConfirmDialog
      opened
      title={t('endpoints:groups.deleteTitle', { name: props.group.name })}
      confirmLabel={t('common:actions.delete')}
      destructive
      busy={remove.isPending}
      error={remove.error}
      onConfirm={() => remove.mutate()}
      onClose={props.onClose}
    >
      <Text size="sm">
        {t('endpoints:groups.deleteWarning', {
          n: formatNumber(props.group.endpointCount, language),
        })}
      </Text>
    </ConfirmDialog>
  );
}
