import {
  auditValueText,
  changedValues,
  exportQueryOf,
  listQueryOf,
  NO_FILTER,
} from './audit-filters';

describe('the audit trail filters as query parameters', () => {
  it('send nothing when nothing is chosen', () => {
    expect(exportQueryOf(NO_FILTER)).toEqual({});
    expect(listQueryOf(NO_FILTER, 50)).toEqual({ limit: 50 });
  });

  it('send each filter that is set, typed ones trimmed', () => {
    expect(
      exportQueryOf({
        ...NO_FILTER,
        action: ' site.updated ',
        actorType: 'admin',
        actorId: 'admin-1',
        siteId: 'site-1',
        targetType: 'site ',
        targetId: ' site-1',
        outcome: 'failure',
      }),
    ).toEqual({
      action: 'site.updated',
      actorType: 'admin',
      actorId: 'admin-1',
      siteId: 'site-1',
      targetType: 'site',
      targetId: 'site-1',
      outcome: 'failure',
    });
  });

  it('send the time range as instants of the browser’s local times', () => {
    const query = exportQueryOf({ ...NO_FILTER, from: '2026-12-01T09:00', to: '2026-12-02T18:30' });
    expect(query.from).toBe(new Date('2026-12-01T09:00').toISOString());
    expect(query.to).toBe(new Date('2026-12-02T18:30').toISOString());
  });

  it('leave out a time the browser cannot read', () => {
    expect(exportQueryOf({ ...NO_FILTER, from: 'tomorrow' })).toEqual({});
  });

  it('add the page’s cursor to the list’s query only', () => {
    const filter = { ...NO_FILTER, outcome: 'success' as const };
    expect(listQueryOf(filter, 25, 'next-page')).toEqual({
      outcome: 'success',
      limit: 25,
      cursor: 'next-page',
    });
  });
});

describe('an event’s before and after', () => {
  it('read as the fields that changed, a field only on one side too', () => {
    expect(
      changedValues({
        before: { notSeenThresholdHours: 24, name: 'A', recipients: ['a@example.jp'] },
        after: { notSeenThresholdHours: 48, language: 'en', recipients: ['a@example.jp'] },
      }),
    ).toEqual([
      { field: 'notSeenThresholdHours', before: 24, after: 48 },
      { field: 'name', before: 'A', after: undefined },
      { field: 'language', before: undefined, after: 'en' },
    ]);
    expect(changedValues({ before: null, after: null })).toEqual([]);
  });

  it('show values as text: lists joined, objects as JSON, nothing as nothing', () => {
    expect(auditValueText(['a@example.jp', 'b@example.jp'])).toBe('a@example.jp, b@example.jp');
    expect(auditValueText(48)).toBe('48');
    expect(auditValueText({ seats: 5 })).toBe('{"seats":5}');
    expect(auditValueText(null)).toBeUndefined();
    expect(auditValueText(undefined)).toBeUndefined();
  });

  it('show a policy id as its policy’s name, and an unknown one as the id', () => {
    const names = new Map([['p-1', '推奨デフォルト設定']]);
    expect(auditValueText('p-1', 'defaultPolicyId', names)).toBe('推奨デフォルト設定');
    expect(auditValueText('p-2', 'defaultPolicyId', names)).toBe('p-2');
    expect(auditValueText('p-1', 'name', names)).toBe('p-1');
  });
});
