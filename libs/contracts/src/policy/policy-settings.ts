import { z } from 'zod';
import { type LabelLanguage, type Localized, type SettingDef } from './catalog-types';
import {
  POLICY_CATALOG,
  POLICY_CATALOG_VERSION,
  POLICY_SECTIONS,
  type PolicySectionKey,
  type PolicySettingPath,
  type PolicySettings,
  type PolicySettingsPatch,
} from './policy-catalog';

/**
 * Everything derived from the one catalog: the zod schemas of a complete
 * settings object and of a partial patch, the patch validator the console API
 * answers with, applying and diffing settings, the labelled view of a policy,
 * and the version tag agents compare on check-in.
 */

/** Any setting's value. */
export type SettingValue = boolean | number | string;

/** What a setting (or a level of the settings object) accepts. */
export type AllowedValues =
  | { readonly values: readonly (string | boolean)[] }
  | { readonly min: number; readonly max: number }
  | { readonly format: 'HH:MM' }
  | { readonly keys: readonly string[] };

export function allowedValues(setting: SettingDef): AllowedValues {
  switch (setting.type) {
    case 'toggle':
      return { values: [true, false] };
    case 'enum':
      return { values: setting.values.map((v) => v.value) };
    case 'integer':
      return { min: setting.min, max: setting.max };
    case 'time_of_day':
      return { format: 'HH:MM' };
  }
}

const TIME_OF_DAY = /^(?:[01]\d|2[0-3]):[0-5]\d$/;

/** The message a bad value of this setting gets: it names the setting and what it accepts. */
export function settingRuleMessage(path: string, setting: SettingDef): string {
  switch (setting.type) {
    case 'toggle':
      return `${path} must be true (on) or false (off)`;
    case 'enum':
      return `${path} must be one of: ${setting.values.map((v) => v.value).join(', ')}`;
    case 'integer':
      return `${path} must be a whole number from ${setting.min} to ${setting.max}`;
    case 'time_of_day':
      return `${path} must be a time of day HH:MM, 00:00 to 23:59`;
  }
}

/** The zod schema of one setting's value. */
export function settingValueSchema(sectionKey: string, setting: SettingDef): z.ZodTypeAny {
  const message = settingRuleMessage(`${sectionKey}.${setting.key}`, setting);
  const errorMap: z.ZodErrorMap = () => ({ message });
  switch (setting.type) {
    case 'toggle':
      return z.boolean({ errorMap });
    case 'enum': {
      const [first, ...rest] = setting.values.map((v) => v.value);
      if (first === undefined) throw new Error(`${sectionKey}.${setting.key} has no values`);
      return z.enum([first, ...rest], { errorMap });
    }
    case 'integer':
      return z
        .number({ errorMap })
        .int({ message })
        .min(setting.min, { message })
        .max(setting.max, { message });
    case 'time_of_day':
      return z.string({ errorMap }).regex(TIME_OF_DAY, { message });
  }
}

const SECTION_KEYS: readonly string[] = POLICY_CATALOG.map((section) => section.key);

function settingKeysOf(sectionKey: string): readonly string[] {
  return POLICY_SECTIONS.get(sectionKey)?.settings.map((setting) => setting.key) ?? [];
}

/** Unknown keys are named with what is known, at either level. */
function objectErrorMap(where: string, known: readonly string[], what: string): z.ZodErrorMap {
  return (issue, context) => {
    if (issue.code === z.ZodIssueCode.unrecognized_keys) {
      const unknown = issue.keys.map((key) => (where ? `${where}.${key}` : key)).join(', ');
      return { message: `unknown ${what} ${unknown}; known: ${known.join(', ')}` };
    }
    if (issue.code === z.ZodIssueCode.invalid_type) {
      return { message: `${where || 'settings'} must be an object of ${what}s` };
    }
    return { message: context.defaultError };
  };
}

function sectionSchema(sectionKey: string, partial: boolean) {
  const section = POLICY_SECTIONS.get(sectionKey)!;
  const shape = Object.fromEntries(
    section.settings.map((setting) => {
      const schema = settingValueSchema(section.key, setting);
      return [setting.key, partial ? schema.optional() : schema];
    }),
  );
  return z
    .object(shape, { errorMap: objectErrorMap(section.key, settingKeysOf(section.key), 'setting') })
    .strict();
}

function settingsSchema(partial: boolean) {
  const shape = Object.fromEntries(
    SECTION_KEYS.map((key) => {
      const schema = sectionSchema(key, partial);
      return [key, partial ? schema.optional() : schema];
    }),
  );
  return z.object(shape, { errorMap: objectErrorMap('', SECTION_KEYS, 'section') }).strict();
}

/** A complete settings object: every section and every setting, nothing else. */
export const policySettingsSchema = settingsSchema(false) as unknown as z.ZodType<PolicySettings>;

/** A partial change `{ section: { setting: value } }`: unknown sections and settings are refused. */
export const policySettingsPatchSchema = settingsSchema(
  true,
) as unknown as z.ZodType<PolicySettingsPatch>;

export const SETTING_PROBLEM_RULES = [
  'unknown_section',
  'unknown_setting',
  'not_an_object',
  'invalid_value',
] as const;
export type SettingProblemRule = (typeof SETTING_PROBLEM_RULES)[number];

export interface SettingProblem {
  /** `basic.poll_interval`; a section alone for a section; '' for the whole patch. */
  readonly path: string;
  readonly rule: SettingProblemRule;
  readonly allowed: AllowedValues;
  readonly message: string;
}

export type SettingsPatchValidation =
  | { readonly ok: true; readonly patch: PolicySettingsPatch }
  | { readonly ok: false; readonly problems: readonly SettingProblem[] };

function problemsOf(issue: z.ZodIssue): SettingProblem[] {
  const [sectionKey, settingKey] = issue.path.map(String);
  if (issue.code === z.ZodIssueCode.unrecognized_keys) {
    return issue.keys.map((key) =>
      sectionKey === undefined
        ? {
            path: key,
            rule: 'unknown_section',
            allowed: { keys: SECTION_KEYS },
            message: issue.message,
          }
        : {
            path: `${sectionKey}.${key}`,
            rule: 'unknown_setting',
            allowed: { keys: settingKeysOf(sectionKey) },
            message: issue.message,
          },
    );
  }
  if (sectionKey === undefined) {
    return [
      { path: '', rule: 'not_an_object', allowed: { keys: SECTION_KEYS }, message: issue.message },
    ];
  }
  const setting = POLICY_SECTIONS.get(sectionKey)?.settings.find((s) => s.key === settingKey);
  if (settingKey === undefined || !setting) {
    return [
      {
        path: sectionKey,
        rule: 'not_an_object',
        allowed: { keys: settingKeysOf(sectionKey) },
        message: issue.message,
      },
    ];
  }
  return [
    {
      path: `${sectionKey}.${settingKey}`,
      rule: 'invalid_value',
      allowed: allowedValues(setting),
      message: issue.message,
    },
  ];
}

/**
 * Checks a partial change against the catalog. Every problem names where it
 * is (`basic.poll_interval`), which rule it breaks and what is allowed there.
 */
export function validateSettingsPatch(patch: unknown): SettingsPatchValidation {
  const parsed = policySettingsPatchSchema.safeParse(patch);
  if (parsed.success) return { ok: true, patch: parsed.data };
  const seen = new Set<string>();
  const problems = parsed.error.issues.flatMap(problemsOf).filter((problem) => {
    const id = `${problem.rule} ${problem.path}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  return { ok: false, problems };
}

type LooseSettings = Record<string, Record<string, SettingValue | undefined> | undefined>;

/** The settings with the patch applied; neither argument is changed. */
export function applyPatch(settings: PolicySettings, patch: PolicySettingsPatch): PolicySettings {
  const before = settings as unknown as LooseSettings;
  const changes = patch as LooseSettings;
  const after: Record<string, Record<string, SettingValue | undefined>> = {};
  for (const section of POLICY_CATALOG) {
    const values = { ...before[section.key] };
    for (const [key, value] of Object.entries(changes[section.key] ?? {})) {
      if (value !== undefined) values[key] = value;
    }
    after[section.key] = values;
  }
  return after as unknown as PolicySettings;
}

export interface SettingDifference {
  readonly section: PolicySectionKey;
  readonly setting: string;
  readonly path: PolicySettingPath;
  readonly a: SettingValue;
  readonly b: SettingValue;
}

/** The settings whose values differ, in catalog order, with both values. */
export function diffSettings(a: PolicySettings, b: PolicySettings): SettingDifference[] {
  const left = a as unknown as LooseSettings;
  const right = b as unknown as LooseSettings;
  const differences: SettingDifference[] = [];
  for (const section of POLICY_CATALOG) {
    for (const setting of section.settings) {
      const valueA = left[section.key]?.[setting.key];
      const valueB = right[section.key]?.[setting.key];
      if (valueA !== valueB && valueA !== undefined && valueB !== undefined) {
        differences.push({
          section: section.key,
          setting: setting.key,
          path: `${section.key}.${setting.key}` as PolicySettingPath,
          a: valueA,
          b: valueB,
        });
      }
    }
  }
  return differences;
}

/** On/off in each language (DESIGN §11). */
export const TOGGLE_LABELS: { readonly on: Localized; readonly off: Localized } = {
  on: { ja: 'オン', en: 'On' },
  off: { ja: 'オフ', en: 'Off' },
};

const settingValueSchemaForWire = z.union([z.boolean(), z.number(), z.string()]);

/** One setting as the console shows it: labels in one language, the value and its label. */
export const labelledSettingSchema = z.object({
  key: z.string(),
  path: z.string(),
  type: z.enum(['toggle', 'enum', 'integer', 'time_of_day']),
  label: z.string(),
  help: z.string(),
  value: settingValueSchemaForWire,
  valueLabel: z.string(),
  /** enum: the values offered, in order, with their labels. */
  options: z.array(z.object({ value: z.string(), label: z.string() })).optional(),
  /** integer: the range, both ends included. */
  min: z.number().int().optional(),
  max: z.number().int().optional(),
});
export type LabelledSetting = z.infer<typeof labelledSettingSchema>;

export const labelledSectionSchema = z.object({
  key: z.string(),
  label: z.string(),
  help: z.string(),
  settings: z.array(labelledSettingSchema),
});
export type LabelledSection = z.infer<typeof labelledSectionSchema>;

function labelledSetting(
  sectionKey: string,
  setting: SettingDef,
  value: SettingValue,
  language: LabelLanguage,
): LabelledSetting {
  const base = {
    key: setting.key,
    path: `${sectionKey}.${setting.key}`,
    type: setting.type,
    label: setting.labels[language],
    help: setting.help[language],
    value,
  };
  switch (setting.type) {
    case 'toggle':
      return { ...base, valueLabel: TOGGLE_LABELS[value ? 'on' : 'off'][language] };
    case 'enum':
      return {
        ...base,
        valueLabel:
          setting.values.find((v) => v.value === value)?.labels[language] ?? String(value),
        options: setting.values.map((v) => ({ value: v.value, label: v.labels[language] })),
      };
    case 'integer':
      return { ...base, valueLabel: String(value), min: setting.min, max: setting.max };
    case 'time_of_day':
      return { ...base, valueLabel: String(value) };
  }
}

/** The settings grouped by section in catalog order, labelled in one language (the get endpoint). */
export function labelledSettings(
  settings: PolicySettings,
  language: LabelLanguage,
): LabelledSection[] {
  const values = settings as unknown as LooseSettings;
  return POLICY_CATALOG.map((section) => ({
    key: section.key,
    label: section.labels[language],
    help: section.help[language],
    settings: section.settings.flatMap((setting) => {
      const value = values[section.key]?.[setting.key];
      return value === undefined ? [] : [labelledSetting(section.key, setting, value, language)];
    }),
  }));
}

/**
 * What an agent holds and sends back on check-in, so the gateway can answer
 * "unchanged" without reading settings. It changes with the policy, its
 * version, and the catalog's version (a catalog change re-sends settings).
 */
export function settingsVersionTag(policyId: string, version: number): string {
  if (!Number.isSafeInteger(version) || version < 0) {
    throw new Error(`a policy version is a whole number ≥ 0, not ${version}`);
  }
  return `${policyId}.v${version}.c${POLICY_CATALOG_VERSION}`;
}
