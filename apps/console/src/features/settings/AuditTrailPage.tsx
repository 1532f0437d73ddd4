import { Alert, Group, Stack, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { usePermissions } from '../../auth/me';
import { AuditEventsTable } from './AuditEventsTable';
import { AuditExportButton } from './AuditExportButton';
import { AuditFilterForm } from './AuditFilterForm';
import { type AuditFilter, NO_FILTER } from './audit-filters';
import { ChainVerification } from './ChainVerification';
import { SETTINGS_QUERY_KEY } from './settings-forms';

/** Names for the ids events carry: administrators by e-mail, sites by name. */
export interface AuditNames {
  administrators: ReadonlyMap<string, string>;
  sites: ReadonlyMap<string, string>;
}

function useAuditNames(): AuditNames {
  const settings = useQuery({
    queryKey: SETTINGS_QUERY_KEY,
    queryFn: () => unwrap(api.GET('/api/v1/settings')),
  });
  const administrators = useQuery({
    queryKey: ['administrators', 'list'],
    queryFn: () => unwrap(api.GET('/api/v1/administrators')),
  });
  return {
    administrators: new Map(administrators.data?.items.map((admin) => [admin.id, admin.email])),
    sites: new Map(settings.data?.sites.map((site) => [site.id, site.name])),
  };
}

/** 監査ログ (super admins): the console's audit events, filtered, exported as CSV, and its chain verified. */
export function AuditTrailPage() {
  const { t } = useTranslation();
  const { superAdmin } = usePermissions();
  const [filter, setFilter] = useState<AuditFilter>(NO_FILTER);
  const names = useAuditNames();
  return (
    <Stack gap="lg">
      <Title order={1}>{t('settings:audit.title')}</Title>
      {superAdmin ? (
        <>
          <ChainVerification />
          <AuditFilterForm applied={filter} names={names} onApply={setFilter} />
          <Group justify="flex-end">
            <AuditExportButton filter={filter} />
          </Group>
          <AuditEventsTable filter={filter} names={names} />
        </>
      ) : (
        <Alert color="gray">{t('settings:audit.superAdminOnly')}</Alert>
      )}
    </Stack>
  );
}
