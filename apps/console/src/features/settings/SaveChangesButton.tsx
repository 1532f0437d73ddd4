import { Button, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';

/** The end of a settings form (useSaveChanges): the save's unplaced error, then its button. */
export function SaveChangesButton({ saving, error }: { saving: boolean; error: unknown }) {
  const { t } = useTranslation();
  return (
    <>
      <ApiErrorAlert error={error} />
      <Group justify="flex-end">
        <Button type="submit" loading={saving}>
          {t('common:actions.saveChanges')}
        </Button>
      </Group>
    </>
  );
}
