import { Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Site } from '../../api/console-settings';

/** Which of the administrator's sites the page shows (groups and policies are per site). */
export function SiteSelect(props: {
  sites: Site[];
  siteId: string;
  onChange: (siteId: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <Select
      label={t('endpoints:site')}
      data={props.sites.map((site) => ({ value: site.id, label: site.name }))}
      value={props.siteId}
      onChange={(siteId) => siteId && props.onChange(siteId)}
      allowDeselect={false}
      w={280}
    />
  );
}
