import { notifications } from '@mantine/notifications';

/**
 * Success feedback after an action, in one colour across the console (the
 * theme names the close button and keeps the message's line breaks).
 */
export function notifyDone(message: string, title?: string): void {
  notifications.show({ color: 'teal', title, message });
}
