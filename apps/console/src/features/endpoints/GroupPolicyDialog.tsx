import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { groupLabel } from './group-label';
import { PolicyChoiceDialog } from './PolicyChoiceDialog';
import type { Group as EndpointGroup } from './queries';

/**
 * Sets a group's policy, or clears it so its endpoints follow the site's
 * default; endpoints with a policy of their own keep theirs.
 */
export function GroupPolicyDialog({
  siteId,
  group,
  onClose,
}: {
  siteId: string;
  group: EndpointGroup;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <PolicyChoiceDialog
      title={t('endpoints:groups.policyTitle', { name: groupLabel(group, t) })}
      inheritLabel={t('endpoints:groups.followSite')}
      policyId={group.policyId}
      save={(policyId) =>
        unwrap(
          api.PATCH('/api/v1/sites/{siteId}/groups/{groupId}', {
            params: { path: { siteId, groupId: group.id } },
            body: { policyId },
          }),
        )
      }
      onClose={onClose}
    />
  );
}
