import { z } from 'zod';
import { type Localized, type SettingDef } from './catalog-types';
import { BUILTIN_POLICIES, BUILTIN_POLICY_IDS, builtinPolicyById } from './builtin-policies';
import {
  POLICY_CATALOG,
  type PolicySettings,
  type PollInterval,
  pollIntervalSeconds,
} from './policy-catalog';
import {
  allowedValues,
  applyPatch,
  diffSettings,
  labelledSettings,
  policySettingsSchema,
  settingValueSchema,
  settingsVersionTag,
  validateSettingsPatch,
} from './policy-settings';

const recommended = builtinPolicyById(BUILTIN_POLICY_IDS.recommended_defaults)!;

/** Every setting of the catalog with its path, for iterating instead of hard-coding. */
const everySetting = POLICY_CATALOG.flatMap((section) =>
  section.settings.map((setting: SettingDef) => ({
    section: section.key,
    setting,
    path: `${section.key}.${setting.key}`,
  })),
);

function valueAt(settings: PolicySettings, section: string, setting: string): unknown {
  return (settings as unknown as Record<string, Record<string, unknown>>)[section]?.[setting];
}

function isAllowed(setting: SettingDef, value: unknown): boolean {
  switch (setting.type) {
    case 'toggle':
      return typeof value === 'boolean';
    case 'enum':
      return setting.values.some((v) => v.value === value);
    case 'integer':
      return (
        Number.isInteger(value) &&
        (value as number) >= setting.min &&
        (value as number) <= setting.max
      );
    case 'time_of_day':
      return typeof value === 'string' && /^(?:[01]\d|2[0-3]):[0-5]\d$/.test(value);
  }
}

function expectLocalized(text: Localized, where: string): void {
  expect({ where, ja: text.ja.trim().length > 0, en: text.en.trim().length > 0 }).toEqual({
    where,
    ja: true,
    en: true,
  });
}

describe('policy catalog', () => {
  it('has the sections of DESIGN §8 in order', () => {
    expect(POLICY_CATALOG.map((section) => section.key)).toEqual([
      'basic',
      'scan_schedule',
      'scan_settings',
      'self_protection',
      'heuristics_local',
      'heuristics_usb',
      'heuristics_internet',
      'heuristics_network',
      'heuristics_cd_dvd',
      'heuristics_offline',
      'realtime_shield',
      'behavior_shield',
      'core_system_shield',
      'web_threat_shield',
      'identity_shield',
      'firewall',
      'user_interface',
      'evasion_shield',
    ]);
  });

  it('has unique snake_case keys for sections, settings and enum values', () => {
    const sectionKeys = POLICY_CATALOG.map((section) => section.key);
    expect(new Set(sectionKeys).size).toBe(sectionKeys.length);
    for (const section of POLICY_CATALOG) {
      expect(section.key).toMatch(/^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/);
      const settingKeys = section.settings.map((setting: SettingDef) => setting.key);
      expect(new Set(settingKeys).size).toBe(settingKeys.length);
      for (const setting of section.settings as readonly SettingDef[]) {
        expect(setting.key).toMatch(/^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/);
        if (setting.type === 'enum') {
          const values = setting.values.map((v) => v.value);
          expect(values.length).toBeGreaterThan(1);
          expect(new Set(values).size).toBe(values.length);
        }
        if (setting.type === 'integer') expect(setting.min).toBeLessThanOrEqual(setting.max);
      }
    }
  });

  it('has non-empty ja and en labels and help for every section, setting and enum value', () => {
    for (const section of POLICY_CATALOG) {
      expectLocalized(section.labels, section.key);
      expectLocalized(section.help, section.key);
    }
    for (const { setting, path } of everySetting) {
      expectLocalized(setting.labels, path);
      expectLocalized(setting.help, path);
      if (setting.type === 'enum') {
        for (const v of setting.values) expectLocalized(v.labels, `${path}=${v.value}`);
      }
    }
  });

  it('uses the Japanese terms of DESIGN §11', () => {
    const ja = Object.fromEntries(POLICY_CATALOG.map((s) => [s.key, s.labels.ja]));
    expect(ja).toMatchObject({
      basic: '基本設定',
      scan_schedule: 'スキャンのスケジュール',
      scan_settings: 'スキャン設定',
      self_protection: '自己保護',
      heuristics_local: 'ローカル ヒューリスティック',
      heuristics_offline: 'オフライン ヒューリスティック',
      realtime_shield: 'リアルタイムシールド',
      evasion_shield: '回避シールド',
    });
  });

  it('turns every poll interval into seconds', () => {
    const poll = everySetting.find((s) => s.path === 'basic.poll_interval')!.setting;
    const values = (allowedValues(poll) as { values: PollInterval[] }).values;
    expect(values).toEqual(['15m', '30m', '1h', '2h', '4h', '6h', '12h', 'daily']);
    expect(values.map(pollIntervalSeconds)).toEqual([
      900, 1800, 3600, 7200, 14400, 21600, 43200, 86400,
    ]);
  });
});

describe('built-in policies', () => {
  it('are the four of DESIGN §8 with fixed, distinct UUIDs and names in both languages', () => {
    expect(BUILTIN_POLICIES.map((p) => p.name.en)).toEqual([
      'Recommended Defaults',
      'Recommended Server Defaults',
      'Silent Audit',
      'Unmanaged',
    ]);
    expect(BUILTIN_POLICIES.map((p) => p.name.ja).slice(0, 2)).toEqual([
      '推奨デフォルト設定',
      '推奨サーバーデフォルト設定',
    ]);
    const ids = BUILTIN_POLICIES.map((p) => p.id);
    expect(new Set(ids).size).toBe(4);
    for (const policy of BUILTIN_POLICIES) {
      expect(z.string().uuid().safeParse(policy.id).success).toBe(true);
      expectLocalized(policy.name, policy.key);
      expectLocalized(policy.description, policy.key);
    }
    expect(BUILTIN_POLICIES.filter((p) => p.unmanaged).map((p) => p.key)).toEqual(['unmanaged']);
  });

  it.each(BUILTIN_POLICIES.map((p) => [p.name.en, p] as const))(
    '%s sets every setting of the catalog to an allowed value',
    (_name, policy) => {
      const wrong = everySetting
        .filter(
          ({ section, setting }) =>
            !isAllowed(setting, valueAt(policy.settings, section, setting.key)),
        )
        .map(({ path }) => path);
      expect(wrong).toEqual([]);
      expect(policySettingsSchema.safeParse(policy.settings).success).toBe(true);
    },
  );

  it('Recommended Defaults polls every 15 minutes and detects and remediates scripts', () => {
    expect(recommended.settings.basic.poll_interval).toBe('15m');
    expect(recommended.settings.evasion_shield.script_protection).toBe('detect_and_remediate');
    expect(recommended.settings.basic.allow_manual_shutdown).toBe(false);
  });

  it('Recommended Server Defaults turn the firewall and web shields off and scan at night', () => {
    const server = builtinPolicyById(BUILTIN_POLICY_IDS.recommended_server_defaults)!.settings;
    expect(server.firewall.enabled).toBe(false);
    expect(server.web_threat_shield.enabled).toBe(false);
    expect(server.scan_schedule.hour).toBeLessThan(6);
  });

  it('Silent Audit removes and quarantines nothing and shows no UI', () => {
    const audit = builtinPolicyById(BUILTIN_POLICY_IDS.silent_audit)!.settings;
    expect(audit.scan_settings.auto_remove_background_threats).toBe(false);
    expect(audit.scan_settings.auto_quarantine_new_threats).toBe(false);
    expect(audit.realtime_shield.auto_quarantine_blocked).toBe(false);
    expect(audit.evasion_shield.script_protection).toBe('detect_only');
    expect(audit.user_interface.gui).toBe('hidden');
  });

  it('cannot be changed in place', () => {
    expect(() => {
      (recommended.settings.basic as { poll_interval: string }).poll_interval = '1h';
    }).toThrow(TypeError);
  });
});

describe('validateSettingsPatch', () => {
  it('accepts any subset of settings with allowed values', () => {
    const sut = validateSettingsPatch({
      basic: { poll_interval: '1h' },
      heuristics_local: { level: 'high' },
      scan_schedule: { hour: 23 },
    });
    expect(sut).toEqual({
      ok: true,
      patch: {
        basic: { poll_interval: '1h' },
        heuristics_local: { level: 'high' },
        scan_schedule: { hour: 23 },
      },
    });
  });

  it('refuses an unknown section, naming it and the known sections', () => {
    const sut = validateSettingsPatch({ antispam: { enabled: true } });
    expect(sut.ok).toBe(false);
    if (sut.ok) return;
    expect(sut.problems).toEqual([
      expect.objectContaining({
        path: 'antispam',
        rule: 'unknown_section',
        allowed: { keys: POLICY_CATALOG.map((s) => s.key) },
      }),
    ]);
    expect(sut.problems[0]!.message).toContain('antispam');
  });

  it('refuses an unknown setting, naming it and the settings of its section', () => {
    const sut = validateSettingsPatch({ firewall: { enabled: true, stealth_mode: true } });
    expect(sut.ok).toBe(false);
    if (sut.ok) return;
    expect(sut.problems).toEqual([
      expect.objectContaining({
        path: 'firewall.stealth_mode',
        rule: 'unknown_setting',
        allowed: { keys: ['enabled', 'level', 'warn_os_firewall_disabled'] },
      }),
    ]);
    expect(sut.problems[0]!.message).toContain('firewall.stealth_mode');
  });

  it.each([
    [
      'basic',
      'poll_interval',
      '5m',
      { values: ['15m', '30m', '1h', '2h', '4h', '6h', '12h', 'daily'] },
      '15m, 30m',
    ],
    ['scan_schedule', 'hour', 24, { min: 0, max: 23 }, 'from 0 to 23'],
    ['scan_schedule', 'hour', 1.5, { min: 0, max: 23 }, 'from 0 to 23'],
    [
      'scan_schedule',
      'day',
      'someday',
      {
        values: [
          'every_day',
          'monday',
          'tuesday',
          'wednesday',
          'thursday',
          'friday',
          'saturday',
          'sunday',
        ],
      },
      'every_day, monday',
    ],
    ['realtime_shield', 'enabled', 'yes', { values: [true, false] }, 'true (on) or false (off)'],
    [
      'heuristics_usb',
      'level',
      null,
      { values: ['off', 'low', 'medium', 'high', 'maximum'] },
      'off, low, medium, high, maximum',
    ],
  ])(
    'refuses %s.%s = %p, naming the setting and what it allows',
    (section, setting, bad, allowed, words) => {
      const sut = validateSettingsPatch({ [section]: { [setting]: bad } });
      expect(sut.ok).toBe(false);
      if (sut.ok) return;
      expect(sut.problems).toHaveLength(1);
      expect(sut.problems[0]).toMatchObject({
        path: `${section}.${setting}`,
        rule: 'invalid_value',
        allowed,
      });
      expect(sut.problems[0]!.message).toContain(`${section}.${setting}`);
      expect(sut.problems[0]!.message).toContain(words);
    },
  );

  it('reports every problem at once', () => {
    const sut = validateSettingsPatch({
      nope: {},
      basic: { poll_interval: 'weekly', colour: 'blue' },
      firewall: 'off',
    });
    expect(sut.ok).toBe(false);
    if (sut.ok) return;
    expect(sut.problems.map((p) => [p.path, p.rule]).sort()).toEqual(
      [
        ['nope', 'unknown_section'],
        ['basic.poll_interval', 'invalid_value'],
        ['basic.colour', 'unknown_setting'],
        ['firewall', 'not_an_object'],
      ].sort(),
    );
  });

  it('refuses a patch that is not an object', () => {
    expect(validateSettingsPatch(['basic'])).toMatchObject({
      ok: false,
      problems: [{ path: '', rule: 'not_an_object' }],
    });
  });
});

describe('time of day settings', () => {
  const sut = settingValueSchema('example', {
    key: 'at',
    type: 'time_of_day',
    labels: { ja: '時刻', en: 'Time' },
    help: { ja: '時刻です。', en: 'A time.' },
  });

  it.each(['00:00', '09:05', '23:59'])('accepts %s', (time) => {
    expect(sut.safeParse(time).success).toBe(true);
  });

  it.each(['24:00', '9:05', '12:60', '12:00:00', 1200])('refuses %p, naming the format', (time) => {
    const result = sut.safeParse(time);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(
      'example.at must be a time of day HH:MM, 00:00 to 23:59',
    );
  });
});

describe('applyPatch and diffSettings', () => {
  it('apply changes exactly the patched settings and leaves both arguments alone', () => {
    const before = recommended.settings;
    const sut = applyPatch(before, {
      basic: { poll_interval: '2h' },
      heuristics_local: { level: 'maximum' },
    });
    expect(sut.basic.poll_interval).toBe('2h');
    expect(sut.heuristics_local.level).toBe('maximum');
    expect(before.basic.poll_interval).toBe('15m');
    expect(diffSettings(before, sut)).toEqual([
      {
        section: 'basic',
        setting: 'poll_interval',
        path: 'basic.poll_interval',
        a: '15m',
        b: '2h',
      },
      {
        section: 'heuristics_local',
        setting: 'level',
        path: 'heuristics_local.level',
        a: 'medium',
        b: 'maximum',
      },
    ]);
  });

  it('finds no difference between a policy and itself', () => {
    expect(diffSettings(recommended.settings, applyPatch(recommended.settings, {}))).toEqual([]);
  });

  it('diff between two built-ins lists exactly the settings whose values differ', () => {
    const audit = builtinPolicyById(BUILTIN_POLICY_IDS.silent_audit)!.settings;
    const expected = everySetting
      .filter(
        ({ section, setting }) =>
          valueAt(recommended.settings, section, setting.key) !==
          valueAt(audit, section, setting.key),
      )
      .map(({ path }) => path);
    const sut = diffSettings(recommended.settings, audit);
    expect(sut.map((d) => d.path)).toEqual(expected);
    expect(sut.length).toBeGreaterThan(0);
    for (const d of sut) {
      expect(d.a).toBe(valueAt(recommended.settings, d.section, d.setting));
      expect(d.b).toBe(valueAt(audit, d.section, d.setting));
    }
  });
});

describe('labelledSettings', () => {
  it('labels sections, settings and values in Japanese', () => {
    const sut = labelledSettings(recommended.settings, 'ja');
    expect(sut.map((s) => s.key)).toEqual(POLICY_CATALOG.map((s) => s.key));
    expect(sut[0]).toMatchObject({ key: 'basic', label: '基本設定' });
    const poll = sut[0]!.settings.find((s) => s.key === 'poll_interval')!;
    expect(poll).toMatchObject({ path: 'basic.poll_interval', value: '15m', valueLabel: '15分' });
    expect(poll.options).toHaveLength(8);
    const realtime = sut.find((s) => s.key === 'realtime_shield')!;
    expect(realtime.label).toBe('リアルタイムシールド');
    expect(realtime.settings[0]).toMatchObject({ key: 'enabled', value: true, valueLabel: 'オン' });
  });

  it('labels in English and carries every setting and integer ranges', () => {
    const sut = labelledSettings(recommended.settings, 'en');
    expect(sut.flatMap((s) => s.settings).length).toBe(everySetting.length);
    const hour = sut
      .find((s) => s.key === 'scan_schedule')!
      .settings.find((s) => s.key === 'hour')!;
    expect(hour).toMatchObject({ label: 'Hour', min: 0, max: 23, valueLabel: '12' });
  });
});

describe('settingsVersionTag', () => {
  it('changes with the policy and with its version', () => {
    const a = settingsVersionTag(BUILTIN_POLICY_IDS.recommended_defaults, 1);
    expect(settingsVersionTag(BUILTIN_POLICY_IDS.recommended_defaults, 1)).toBe(a);
    expect(settingsVersionTag(BUILTIN_POLICY_IDS.recommended_defaults, 2)).not.toBe(a);
    expect(settingsVersionTag(BUILTIN_POLICY_IDS.silent_audit, 1)).not.toBe(a);
    expect(a.length).toBeLessThan(64);
  });

  it('refuses a version that is not a whole number', () => {
    expect(() => settingsVersionTag(BUILTIN_POLICY_IDS.unmanaged, 1.5)).toThrow();
  });
});
