import type { TFunction } from 'i18next';
import { createI18n } from './i18n';
import { formatDateTime, formatNumber } from './format';

describe('dates and numbers in the console', () => {
  const now = new Date(2026, 11, 2, 15, 0);
  const tOf = (language: 'ja' | 'en') => createI18n(language).t as TFunction;

  it('read like the endpoint table of DESIGN §11 in Japanese', () => {
    const sut = (value: Date) => formatDateTime(value, 'ja', tOf('ja'), now);
    expect(sut(new Date(2022, 3, 22, 12, 57))).toBe('4月 22, 2022 (12:57)');
    expect(sut(new Date(2026, 11, 2, 9, 49))).toBe('本日 (09:49)');
  });

  it('read the same way in English', () => {
    const sut = (value: Date) => formatDateTime(value, 'en', tOf('en'), now);
    expect(sut(new Date(2022, 3, 22, 12, 57))).toBe('Apr 22, 2022 (12:57)');
    expect(sut(new Date(2026, 11, 2, 9, 49))).toBe('Today (09:49)');
  });

  it('show a dash for a moment that never happened', () => {
    expect(formatDateTime(null, 'en', tOf('en'), now)).toBe('—');
  });

  it('group thousands', () => {
    expect(formatNumber(10000, 'ja')).toBe('10,000');
  });
});
