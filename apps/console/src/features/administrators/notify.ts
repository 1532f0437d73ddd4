import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';

/** Success feedback; its close button is named (axe: every button has a name). */
export function useNotifyDone(): (message: string) => void {
  const { t } = useTranslation();
  return (message) =>
    notifications.show({
      color: 'teal',
      message,
      closeButtonProps: { 'aria-label': t('actions.close') },
    });
}
