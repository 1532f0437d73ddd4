import { Select, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import type { EndpointSelection } from '@warden/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { FormDialog } from '../../components/FormDialog';
import { notifyDone } from '../../components/notify';
import { formatNumber } from '../../i18n/format';
import { useLanguage } from '../../i18n/language';
import { useGroups, useRefreshEndpoints } from './queries';
import { groupLabel } from './group-label';

/**
 * Moves endpoints of a site to another of its groups: picked ones, or all
 * matching the table's filter. "Deactivated devices" is no choice: only the
 * deactivation command puts devices there.
 */
export function MoveDialog(props: {
  opened: boolean;
  siteId: string;
  selection: EndpointSelection;
  count: number;
  onClose: () => void;
  onMoved?: () => void;
}) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const groups = (useGroups(props.siteId).data ?? []).filter(
    (group) => group.system !== 'deactivated',
  );
  const [groupId, setGroupId] = useState<string | null>(null);
  const refresh = useRefreshEndpoints();
  const move = useMutation({
    mutationFn: (target: string) =>
      unwrap(
        api.POST('/api/v1/sites/{siteId}/endpoints/move', {
          params: { path: { siteId: props.siteId } },
          body: { groupId: target, selection: props.selection },
        }),
      ),
    onSuccess: async ({ moved }) => {
      notifyDone(t('endpoints:move.done', { n: formatNumber(moved, language) }));
      await refresh();
      close();
      props.onMoved?.();
    },
  });
  const close = () => {
    setGroupId(null);
    move.reset();
    props.onClose();
  };
  return (
    <FormDialog
      opened={props.opened}
      title={t('endpoints:move.title')}
      submitLabel={t('endpoints:move.submit')}
      busy={move.isPending}
      incomplete={!groupId}
      error={move.error}
      onSubmit={() => groupId && move.mutate(groupId)}
      onClose={close}
    >
      <Text size="sm">
        {t('endpoints:move.summary', {
          n: formatNumber(props.count, language),
        })}
      </Text>
      <Select
        label={t('endpoints:move.target')}
        data={groups.map((group) => ({ value: group.id, label: groupLabel(group, t) }))}
        value={groupId}
        onChange={setGroupId}
        allowDeselect={false}
        required
      />
    </FormDialog>
  );
}
