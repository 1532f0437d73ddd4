import { BUILTIN_POLICIES, POLICY_CATALOG, type SettingDef } from '@warden/contracts';
import {
  changedSettings,
  type EditableSettings,
  ifMatchOf,
  policyChanges,
  policyFormSchema,
  type PolicyFormValues,
  settingField,
  settingSections,
  settingValueLabel,
} from './policy-form';

const recommended = BUILTIN_POLICIES.find((p) => p.key === 'recommended_defaults')!;
// A copy to change (the built-ins are frozen; jsdom has no structuredClone).
const recommendedSettings = (): EditableSettings =>
  Object.fromEntries(
    Object.entries(recommended.settings).map(([section, values]) => [section, { ...values }]),
  );
const formValues = (settings: EditableSettings = recommendedSettings()): PolicyFormValues => ({
  name: 'Sales laptops',
  description: 'What the sales team needs',
  settings,
});

describe('the policy editor’s fields, generated from the catalog', () => {
  it('has every section and setting of the catalog, in its order, labelled in the language', () => {
    const sut = settingSections('ja');

    expect(sut.map((s) => s.key)).toEqual(POLICY_CATALOG.map((s) => s.key));
    expect(sut.flatMap((s) => s.fields).length).toBe(
      POLICY_CATALOG.reduce((n, s) => n + s.settings.length, 0),
    );
    expect(sut.slice(0, 4).map((s) => s.label)).toEqual([
      '基本設定',
      'スキャンのスケジュール',
      'スキャン設定',
      '自己保護',
    ]);
    expect(settingSections('en')[0]!.label).toBe('Basic settings');
  });

  it('makes a toggle a switch, an enum a select of its values, an integer a number input with its range', () => {
    const schedule = settingSections('ja').find((s) => s.key === 'scan_schedule')!;
    const byPath = new Map(schedule.fields.map((f) => [f.path, f]));

    expect(byPath.get('scan_schedule.enabled')).toMatchObject({
      input: 'switch',
      name: 'settings.scan_schedule.enabled',
      label: 'スケジュール スキャン',
    });
    expect(byPath.get('scan_schedule.day')).toMatchObject({ input: 'select' });
    const day = byPath.get('scan_schedule.day');
    expect(day?.input === 'select' && day.options[0]).toEqual({
      value: 'every_day',
      label: '毎日',
    });
    expect(byPath.get('scan_schedule.hour')).toMatchObject({ input: 'number', min: 0, max: 23 });
  });

  it('makes a time of day a time input', () => {
    const setting: SettingDef = {
      key: 'starts_at',
      type: 'time_of_day',
      labels: { ja: '開始時刻', en: 'Starts at' },
      help: { ja: '開始する時刻です。', en: 'When it starts.' },
    };

    expect(settingField('scan_schedule', setting, 'en')).toEqual({
      input: 'time',
      name: 'settings.scan_schedule.starts_at',
      path: 'scan_schedule.starts_at',
      label: 'Starts at',
      help: 'When it starts.',
    });
  });

  it('shows values as people read them: on/off, an enum value’s label, a number', () => {
    expect(settingValueLabel('basic.tray_icon', true, 'ja')).toBe('オン');
    expect(settingValueLabel('basic.tray_icon', false, 'en')).toBe('Off');
    expect(settingValueLabel('scan_schedule.day', 'monday', 'ja')).toBe('月曜日');
    expect(settingValueLabel('scan_schedule.hour', 12, 'ja')).toBe('12');
  });
});

describe('the policy editor’s rules', () => {
  const issuePaths = (values: PolicyFormValues) => {
    const result = policyFormSchema.safeParse(values);
    return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
  };
  const withHour = (hour: unknown) => {
    const settings = recommendedSettings();
    settings['scan_schedule']!['hour'] = hour as number;
    return formValues(settings);
  };

  it('accepts a built-in’s settings under a new name and description', () => {
    expect(issuePaths(formValues())).toEqual([]);
  });

  it('refuses an integer outside the catalog’s range, a fraction and an empty input, naming the setting', () => {
    expect(issuePaths(withHour(0))).toEqual([]);
    expect(issuePaths(withHour(23))).toEqual([]);
    expect(issuePaths(withHour(24))).toEqual(['settings.scan_schedule.hour']);
    expect(issuePaths(withHour(-1))).toEqual(['settings.scan_schedule.hour']);
    expect(issuePaths(withHour(1.5))).toEqual(['settings.scan_schedule.hour']);
    expect(issuePaths(withHour(''))).toEqual(['settings.scan_schedule.hour']);
  });

  it('refuses a value an enum does not take', () => {
    const settings = recommendedSettings();
    settings['basic']!['poll_interval'] = '3h';
    expect(issuePaths(formValues(settings))).toEqual(['settings.basic.poll_interval']);
  });

  it('requires a name and a description', () => {
    const result = policyFormSchema.safeParse({ ...formValues(), name: '', description: '  ' });
    expect(result.success).toBe(false);
    const rules = result.success ? [] : result.error.issues.map((i) => [i.path[0], i.code]);
    expect(rules).toEqual([
      ['name', 'too_small'],
      ['description', 'too_small'],
    ]);
  });
});

describe('an edit', () => {
  it('sends only the settings that changed', () => {
    const before = recommendedSettings();
    const after = recommendedSettings();
    after['basic']!['tray_icon'] = false;
    after['scan_schedule']!['hour'] = 3;

    expect(changedSettings(before, after)).toEqual({
      basic: { tray_icon: false },
      scan_schedule: { hour: 3 },
    });
    expect(changedSettings(before, recommendedSettings())).toEqual({});
  });

  it('sends the name and description only when they changed', () => {
    const before = formValues();

    expect(policyChanges(before, formValues())).toEqual({});
    expect(policyChanges(before, { ...formValues(), name: 'Sales' })).toEqual({ name: 'Sales' });
  });

  it('is based on the version it loaded, as the ETag is quoted', () => {
    expect(ifMatchOf(3)).toBe('"3"');
  });
});
