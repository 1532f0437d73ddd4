import type { MailMessage } from '@warden/contracts';

/**
 * A date as every e-mail writes it, in the mail's language: `2026年12月2日 9:30 UTC`,
 * `2 December 2026, 09:30 UTC`. UTC, named, since the reader's zone is not known.
 */
export function formatMailDate(date: Date, language: MailMessage['language']): string {
  return new Intl.DateTimeFormat(language === 'ja' ? 'ja-JP' : 'en-GB', {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'UTC',
    timeZoneName: 'short',
  }).format(date);
}
