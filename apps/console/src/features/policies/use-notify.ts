import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';

/** A success message, its close button named (axe: a button without a name is critical). */
export function useNotify(): (message: string) => void {
  const { t } = useTranslation();
  return (message) =>
    notifications.show({ message, closeButtonProps: { 'aria-label': t('common:actions.close') } });
}
