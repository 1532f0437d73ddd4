import { Button, Group, Modal, Stack } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { PolicySelect } from './PolicySelect';
import { useRefreshEndpoints } from './queries';
import { notifyDone } from '../../components/notify';

/** Gives an endpoint a policy of its own, or lets it follow its group again. */
export function EndpointPolicyDialog(props: {
  opened: boolean;
  endpoint: { id: string; siteId: string; hostname: string; ownPolicyId: string | null };
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [policyId, setPolicyId] = useState(props.endpoint.ownPolicyId);
  const refresh = useRefreshEndpoints();
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PUT('/api/v1/sites/{siteId}/endpoints/{endpointId}/policy', {
          params: { path: { siteId: props.endpoint.siteId, endpointId: props.endpoint.id } },
          body: { policyId },
        }),
      ),
    onSuccess: async () => {
      notifyDone(t('common:states.saved'));
      await refresh();
      close();
    },
  });
  const close = () => {
    save.reset();
    props.onClose();
  };
  return (
    <Modal
      opened={props.opened}
      onClose={close}
      title={t('endpoints:policyDialog.title', { hostname: props.endpoint.hostname })}
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
            inheritLabel={t('endpoints:policyDialog.followGroup')}
            value={policyId}
            onChange={setPolicyId}
          />
          <ApiErrorAlert error={save.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close} disabled={save.isPending}>
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
