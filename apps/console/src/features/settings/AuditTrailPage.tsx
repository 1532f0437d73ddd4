import { Alert, Group, Loader, Stack, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { permissionsOf, useMe } from '../../auth/me';
import { AuditEventsTable } from './AuditEventsTable';
import { AuditExportButton } from './AuditExportButton';
import { AuditFilterForm } from './AuditFilterForm';
import { type AuditFilter, NO_FILTER } from './audit-filters';
import { useAuditNames } from './audit-names';
import { ChainVerification } from './ChainVerification';

/** 監査ログ (super admins): the console's audit events, filtered, exported as CSV, and its chain verified. */
export function AuditTrailPage() {
  const { t } = useTranslation();
  const me = useMe();
  // Until the account is known, neither the trail nor the refusal.
  const content = !me.data ? (
    <Loader aria-label={t('common:states.loading')} />
  ) : permissionsOf(me.data).superAdmin ? (
    <AuditTrail />
  ) : (
    <Alert color="gray">{t('settings:audit.superAdminOnly')}</Alert>
  );
  return (
    <Stack gap="lg">
      <Title order={1}>{t('settings:audit.title')}</Title>
      {content}
    </Stack>
  );
}

function AuditTrail() {
  const [filter, setFilter] = useState<AuditFilter>(NO_FILTER);
  const names = useAuditNames();
  return (
    <>
      <ChainVerification />
      <AuditFilterForm applied={filter} names={names} onApply={setFilter} />
      <Group justify="flex-end">
        <AuditExportButton filter={filter} />
      </Group>
      <AuditEventsTable filter={filter} names={names} />
    </>
  );
}
