import { createI18n } from '../../i18n/i18n';
import { groupLabel } from './group-label';

describe('a group’s name as shown', () => {
  const t = createI18n('ja').t;

  it('shows the system groups in the current language', () => {
    expect(groupLabel({ name: 'Default group', system: 'default' }, t)).toBe('デフォルトグループ');
    expect(groupLabel({ name: 'Deactivated devices', system: 'deactivated' }, t)).toBe(
      '非アクティブ化済みデバイス',
    );
  });

  it('shows a renamed default group and the administrators’ groups as named', () => {
    expect(groupLabel({ name: '本社', system: 'default' }, t)).toBe('本社');
    expect(groupLabel({ name: 'Default group', system: null }, t)).toBe('Default group');
  });
});
