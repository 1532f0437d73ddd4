import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';

/** Success feedback: a notification whose close button has a name in the current language. */
export function useNotify(): (message: string) => void {
  const { t } = useTranslation();
  return (message) =>
    notifications.show({
      color: 'green',
      message,
      closeButtonProps: { 'aria-label': t('common:actions.close') },
    });
}
