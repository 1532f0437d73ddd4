import { Chip, Group } from '@mantine/core';
import { ENDPOINT_STATUSES, type EndpointStatus } from '@warden/contracts';
import { useTranslation } from 'react-i18next';
import { useStatusCounts } from '../../api/endpoints';
import { formatNumber } from '../../i18n/format';
import { useLanguage } from '../../i18n/language';

/**
 * How many of the site's endpoints are in each status, each a filter chip:
 * checked chips are the table's status filter ("all" clears it).
 */
export function StatusChips(props: {
  siteId: string;
  selected: EndpointStatus[];
  onToggle: (status: EndpointStatus) => void;
  onClear: () => void;
}) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const counts = useStatusCounts(props.siteId).data;
  const count = (n: number | undefined) =>
    n === undefined ? '' : ` (${formatNumber(n, language)})`;
  return (
    <Group gap="xs" role="group" aria-label={t('endpoints:statusFilter')}>
      <Chip checked={props.selected.length === 0} onChange={props.onClear}>
        {t('endpoints:allStatuses')}
        {count(counts?.total)}
      </Chip>
      {ENDPOINT_STATUSES.map((status) => (
        <Chip
          key={status}
          checked={props.selected.includes(status)}
          onChange={() => props.onToggle(status)}
        >
          {t(`common:endpointStatus.${status}`)}
          {count(counts?.counts[status])}
        </Chip>
      ))}
    </Group>
  );
}
