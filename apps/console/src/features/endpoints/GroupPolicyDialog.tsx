import { Button, Group, Modal, Stack } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { PolicySelect } from './PolicySelect';
import { type Group as EndpointGroup, useRefreshEndpoints } from './queries';
import { groupLabel } from './group-label';
import { notifyDone } from '../../components/notify';

/**
 * Sets a group's policy, or clears it so its endpoints follow the site's
 * default; endpoints with a policy of their own keep theirs.
 */
export function GroupPolicyDialog(props: {
  siteId: string;
  group: EndpointGroup;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [policyId, setPolicyId] = useState(props.group.policyId);
  const refresh = useRefreshEndpoints();
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH('/api/v1/sites/{siteId}/groups/{groupId}', {
          params: { path: { siteId: props.siteId, groupId: props.group.id } },
          body: { policyId },
        }),
      ),
    onSuccess: async () => {
      notifyDone(t('common:states.saved'));
      await refresh();
      props.onClose();
    },
  });
  return (
    <Modal
      opened
      onClose={props.onClose}
      title={t('endpoints:groups.policyTitle', { name: groupLabel(props.group, t) })}
      centered
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate();
        }}
      >
        <Stack>
          <PolicySelect
            label={t('endpoints:columns.policy')}
            inheritLabel={t('endpoints:groups.followSite')}
            value={policyId}
            onChange={setPolicyId}
          />
          <ApiErrorAlert error={save.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose} disabled={save.isPending}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('common:actions.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
