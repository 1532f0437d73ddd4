import { Badge, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Administrator } from './administrator-form';

/** Filled; the theme picks shades whose text reads at WCAG AA. */
const STATE_COLORS: Record<Administrator['state'], string> = {
  invited: 'yellow',
  active: 'teal',
  locked: 'red',
  disabled: 'gray',
};

export function StateBadge({ state }: Pick<Administrator, 'state'>) {
  const { t } = useTranslation();
  const labels: Record<Administrator['state'], string> = {
    invited: t('administrators:state.invited'),
    active: t('administrators:state.active'),
    locked: t('administrators:state.locked'),
    disabled: t('administrators:state.disabled'),
  };
  return (
    <Badge color={STATE_COLORS[state]} data-state={state}>
      {labels[state]}
    </Badge>
  );
}

export function TwoFactorBadge({ twoFactor }: Pick<Administrator, 'twoFactor'>) {
  const { t } = useTranslation();
  return twoFactor === 'enabled' ? (
    <Badge color="teal" variant="outline">
      {t('administrators:twoFactor.enabled')}
    </Badge>
  ) : (
    <Badge color="gray" variant="outline">
      {t('administrators:twoFactor.not_set_up')}
    </Badge>
  );
}

export function useAccountTypeLabel(): (accountType: Administrator['accountType']) => string {
  const { t } = useTranslation();
  return (accountType) =>
    accountType === 'super_admin'
      ? t('administrators:accountType.super_admin')
      : t('administrators:accountType.admin');
}

/** The badges beside a name: provider support (DESIGN §2) and "you". */
export function IdentityBadges({
  administrator,
  self,
}: {
  administrator: Administrator;
  self: boolean;
}) {
  const { t } = useTranslation();
  if (administrator.kind !== 'provider_support' && !self) return null;
  return (
    <Group gap={4} wrap="nowrap">
      {administrator.kind === 'provider_support' && (
        <Badge color="violet" size="sm">
          {t('administrators:providerSupport')}
        </Badge>
      )}
      {self && (
        <Badge color="blue" variant="outline" size="sm">
          {t('administrators:list.you')}
        </Badge>
      )}
    </Group>
  );
}
