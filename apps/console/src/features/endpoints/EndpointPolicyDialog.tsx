import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { PolicyChoiceDialog } from './PolicyChoiceDialog';

/** Gives an endpoint a policy of its own, or lets it follow its group again. */
export function EndpointPolicyDialog({
  endpoint,
  ...props
}: {
  opened: boolean;
  endpoint: { id: string; siteId: string; hostname: string; ownPolicyId: string | null };
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <PolicyChoiceDialog
      opened={props.opened}
      title={t('endpoints:policyDialog.title', { hostname: endpoint.hostname })}
      inheritLabel={t('endpoints:policyDialog.followGroup')}
      policyId={endpoint.ownPolicyId}
      save={(policyId) =>
        unwrap(
          api.PUT('/api/v1/sites/{siteId}/endpoints/{endpointId}/policy', {
            params: { path: { siteId: endpoint.siteId, endpointId: endpoint.id } },
            body: { policyId },
          }),
        )
      }
      onClose={props.onClose}
    />
  );
}
