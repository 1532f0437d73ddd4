import { List, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../i18n/format';
import { useLanguage } from '../../i18n/language';
import type { PolicyUsage } from './policy-queries';

/** Whether anything (a site's default, a group, an endpoint) uses the policy. */
export const isInUse = (usage: PolicyUsage): boolean =>
  usage.sites.length > 0 || usage.groups.length > 0 || usage.endpoints > 0;

/** Where a policy is used: the sites it is the default of, the groups that have it, its endpoints. */
export function PolicyUsageList({ usage }: { usage: PolicyUsage }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  if (!isInUse(usage)) return <Text size="sm">{t('policies:usage.unused')}</Text>;
  return (
    <List size="sm" spacing={4} aria-label={t('policies:usage.title')}>
      {usage.sites.map((site) => (
        <List.Item key={site.siteId}>
          {t('policies:usage.siteDefault', { name: site.name })}
        </List.Item>
      ))}
      {usage.groups.map((group) => (
        <List.Item key={group.groupId}>{t('policies:usage.group', { name: group.name })}</List.Item>
      ))}
      {usage.endpoints > 0 && (
        <List.Item>
          {t('policies:usage.endpoints', {
            count: usage.endpoints,
            formatted: formatNumber(usage.endpoints, language),
          })}
        </List.Item>
      )}
    </List>
  );
}
