import {
  type LabelLanguage,
  POLICY_CATALOG,
  POLICY_SECTIONS,
  policyDescriptionSchema,
  policyNameSchema,
  policySettingsSchema,
  type SettingDef,
  type SettingValue,
  TOGGLE_LABELS,
} from '@warden/contracts';
import { z } from 'zod';

/**
 * The policy editor is generated from the catalog (libs/contracts'
 * policy-catalog.ts): each section becomes a panel, each setting a typed
 * input labelled in the console's language. Nothing here lists settings.
 */

/** Settings as the form holds them: `{ [section]: { [setting]: value } }`, addressed by catalog path. */
export type EditableSettings = Record<string, Record<string, SettingValue>>;

/** The form name of a setting's input (react-hook-form's dotted path). */
export type SettingFieldName = `settings.${string}.${string}`;

interface SettingFieldBase {
  readonly name: SettingFieldName;
  /** `section.setting`, as the API's diffs and errors name it. */
  readonly path: string;
  readonly label: string;
  readonly help: string;
}

/** The input a setting is edited with, by its catalog type. */
export type SettingField =
  | (SettingFieldBase & { readonly input: 'switch' })
  | (SettingFieldBase & {
      readonly input: 'select';
      readonly options: readonly { value: string; label: string }[];
    })
  | (SettingFieldBase & { readonly input: 'number'; readonly min: number; readonly max: number })
  | (SettingFieldBase & { readonly input: 'time' });

export interface SectionFields {
  readonly key: string;
  readonly label: string;
  readonly help: string;
  readonly fields: readonly SettingField[];
}

export function settingField(
  sectionKey: string,
  setting: SettingDef,
  language: LabelLanguage,
): SettingField {
  const base = {
    name: `settings.${sectionKey}.${setting.key}` as const,
    path: `${sectionKey}.${setting.key}`,
    label: setting.labels[language],
    help: setting.help[language],
  };
  switch (setting.type) {
    case 'toggle':
      return { ...base, input: 'switch' };
    case 'enum':
      return {
        ...base,
        input: 'select',
        options: setting.values.map((v) => ({ value: v.value, label: v.labels[language] })),
      };
    case 'integer':
      return { ...base, input: 'number', min: setting.min, max: setting.max };
    case 'time_of_day':
      return { ...base, input: 'time' };
  }
}

/** Every section of the catalog with its settings' inputs, in catalog order. */
export function settingSections(language: LabelLanguage): SectionFields[] {
  return POLICY_CATALOG.map((section) => ({
    key: section.key,
    label: section.labels[language],
    help: section.help[language],
    fields: section.settings.map((setting) => settingField(section.key, setting, language)),
  }));
}

/** A value as people read it: on/off, an enum value's label, the number or time itself. */
export function settingValueLabel(
  path: string,
  value: SettingValue,
  language: LabelLanguage,
): string {
  const [sectionKey, settingKey] = path.split('.');
  const setting = POLICY_SECTIONS.get(sectionKey ?? '')?.settings.find((s) => s.key === settingKey);
  if (setting?.type === 'toggle') return TOGGLE_LABELS[value ? 'on' : 'off'][language];
  if (setting?.type === 'enum') {
    return setting.values.find((v) => v.value === value)?.labels[language] ?? String(value);
  }
  return String(value);
}

/**
 * The editor's rules: the API's own name and description rules (a blank
 * description is "required", not merely invalid) and the catalog's schema
 * of every setting (ranges, enum values, HH:MM).
 */
// The catalog's schema, typed loosely: the form addresses settings by their path.
const editableSettingsSchema: z.ZodType<EditableSettings> = policySettingsSchema;

export const policyFormSchema = z.object({
  name: policyNameSchema,
  description: z.string().trim().min(1).pipe(policyDescriptionSchema),
  settings: editableSettingsSchema,
});
export type PolicyFormValues = z.input<typeof policyFormSchema>;

/** Only what changed, as the PATCH route takes it: unchanged settings stay out of the request. */
export function changedSettings(
  before: EditableSettings,
  after: EditableSettings,
): EditableSettings {
  const changes: EditableSettings = {};
  for (const [sectionKey, values] of Object.entries(after)) {
    for (const [settingKey, value] of Object.entries(values)) {
      if (before[sectionKey]?.[settingKey] === value) continue;
      (changes[sectionKey] ??= {})[settingKey] = value;
    }
  }
  return changes;
}

export interface PolicyChanges {
  name?: string;
  description?: string;
  settings?: EditableSettings;
}

/** The PATCH body of an edit: name, description and settings, each only when changed. */
export function policyChanges(before: PolicyFormValues, after: PolicyFormValues): PolicyChanges {
  const settings = changedSettings(before.settings, after.settings);
  return {
    ...(after.name !== before.name && { name: after.name }),
    ...(after.description !== before.description && { description: after.description }),
    ...(Object.keys(settings).length > 0 && { settings }),
  };
}

/** The If-Match of an edit based on `version` (the policy's ETag is its version, quoted). */
export const ifMatchOf = (version: number): string => `"${version}"`;
