import { Alert, Button, Stack } from '@mantine/core';
import { IconFileDownload } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { saveDownload } from '../../components/save-download';
import { type AuditFilter, exportQueryOf } from './audit-filters';

/** The events under the current filters as a CSV file (at most 10 000 rows: a truncated export says so). */
export function AuditExportButton({ filter }: { filter: AuditFilter }) {
  const { t } = useTranslation();
  const exportCsv = useMutation({
    mutationFn: async () => {
      const headers = await saveDownload(
        api.GET('/api/v1/audit-events/export', {
          params: { query: exportQueryOf(filter) },
          parseAs: 'blob',
        }),
        { fallbackName: 'audit-events.csv' },
      );
      return { truncated: headers.get('x-truncated') === 'true' };
    },
  });
  return (
    <Stack gap="xs" align="flex-end">
      <Button
        variant="default"
        leftSection={<IconFileDownload size={16} aria-hidden />}
        loading={exportCsv.isPending}
        onClick={() => exportCsv.mutate()}
      >
        {t('settings:audit.export')}
      </Button>
      {exportCsv.data?.truncated && (
        <Alert color="yellow">{t('settings:audit.exportTruncated')}</Alert>
      )}
      <ApiErrorAlert error={exportCsv.error} />
    </Stack>
  );
}
