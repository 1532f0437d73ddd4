import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormDialog } from '../../components/FormDialog';
import { notifyDone } from '../../components/notify';
import { PolicySelect } from './PolicySelect';
import { useRefreshEndpoints } from './queries';

/**
 * Gives an endpoint or a group a policy, or none (`null`) so that it follows
 * the policy above it (the group's, the site's default).
 */
export function PolicyChoiceDialog(props: {
  opened?: boolean;
  title: string;
  /** The choice "no policy of its own": what it follows then. */
  inheritLabel: string;
  policyId: string | null;
  save: (policyId: string | null) => Promise<unknown>;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [policyId, setPolicyId] = useState(props.policyId);
  const refresh = useRefreshEndpoints();
  const save = useMutation({
    mutationFn: props.save,
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
    <FormDialog
      opened={props.opened}
      title={props.title}
      submitLabel={t('common:actions.save')}
      busy={save.isPending}
      error={save.error}
      onSubmit={() => save.mutate(policyId)}
      onClose={close}
    >
      <PolicySelect
        label={t('endpoints:columns.policy')}
        inheritLabel={props.inheritLabel}
        value={policyId}
        onChange={setPolicyId}
      />
    </FormDialog>
  );
}
