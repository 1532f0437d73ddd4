import type { TFunction } from 'i18next';
import type { Language } from './i18n';

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A moment as the endpoint table shows it (DESIGN §11): `4月 22, 2022 (12:57)`
 * in Japanese, `Apr 22, 2022 (12:57)` in English, and today's as
 * `本日 (09:49)` / `Today (09:49)`, in the browser's time zone.
 */
export function formatDateTime(
  value: string | Date | null | undefined,
  language: Language,
  t: TFunction,
  now: Date = new Date(),
): string {
  if (value === null || value === undefined) return t('common:states.none');
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return t('common:states.none');
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}`;
  if (sameDay(date, now)) return t('common:dates.today', { time });
  const month =
    language === 'ja'
      ? `${date.getMonth() + 1}月`
      : new Intl.DateTimeFormat('en', { month: 'short' }).format(date);
  return `${month} ${date.getDate()}, ${date.getFullYear()} (${time})`;
}

/** A date without its time, in the language's own format (`2026年12月2日`, `Dec 2, 2026`). */
export function formatDate(value: string | Date, language: Language): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium' }).format(date);
}

/** A count or figure with the language's grouping (`10,000`). */
export function formatNumber(value: number, language: Language): string {
  return new Intl.NumberFormat(language).format(value);
}

const sameDay = (a: Date, b: Date) =>
  a.getFullYear() === b.getFullYear() &&
  a.getMonth() === b.getMonth() &&
  a.getDate() === b.getDate();

/** A person's name as the language writes it: family name first in Japanese. */
export function formatPersonName(
  person: { firstName: string; lastName: string },
  language: Language,
): string {
  return language === 'ja'
    ? `${person.lastName} ${person.firstName}`
    : `${person.firstName} ${person.lastName}`;
}
