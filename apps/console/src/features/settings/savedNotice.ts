import { notifications } from '@mantine/notifications';

/**
 * The saved notification: what was saved and each change as before → after,
 * so an administrator sees what the save did (and can tell a typo at once).
 */
export function showSavedChanges(
  title: string,
  lines: readonly string[],
  words: { nothingChanged: string; close: string },
): void {
  notifications.show({
    color: 'teal',
    title,
    message: lines.length === 0 ? words.nothingChanged : lines.join('\n'),
    closeButtonProps: { 'aria-label': words.close },
    // Mantine's grey description is under WCAG AA's contrast on white: the text colour instead.
    styles: { description: { color: 'var(--mantine-color-text)', whiteSpace: 'pre-line' } },
  });
}
