import { type LANGUAGES } from '../licensing/licensing.schemas';

/**
 * The shape of the policy catalog (DESIGN §8): sections of typed settings,
 * each with Japanese and English labels and a one-line help text. The catalog
 * itself is data (policy-catalog.ts); the settings object, its zod schemas,
 * the console's labelled view and the agent's payload are derived from it.
 */

/** A language labels are written in (a console's and an administrator's language). */
export type LabelLanguage = (typeof LANGUAGES)[number];

/** Text shown to people, in every label language. */
export type Localized = { readonly [L in LabelLanguage]: string };

/** "HH:MM", 00:00–23:59. */
export type TimeOfDay = `${number}:${number}`;

export const SETTING_TYPES = ['toggle', 'enum', 'integer', 'time_of_day'] as const;
export type SettingType = (typeof SETTING_TYPES)[number];

interface SettingDefBase {
  /** snake_case, unique in its section; `section.setting` is the setting's path. */
  readonly key: string;
  readonly labels: Localized;
  readonly help: Localized;
}

/** On/off: `true` is on. */
export interface ToggleSettingDef extends SettingDefBase {
  readonly type: 'toggle';
}

export interface EnumValueDef {
  /** The stored and transmitted value. */
  readonly value: string;
  readonly labels: Localized;
}

/** One of a fixed list of values, in the order the console offers them. */
export interface EnumSettingDef extends SettingDefBase {
  readonly type: 'enum';
  readonly values: readonly EnumValueDef[];
}

/** A whole number from `min` to `max`, both included. */
export interface IntegerSettingDef extends SettingDefBase {
  readonly type: 'integer';
  readonly min: number;
  readonly max: number;
}

/** A time of day, "HH:MM" on the endpoint's clock. */
export interface TimeOfDaySettingDef extends SettingDefBase {
  readonly type: 'time_of_day';
}

export type SettingDef =
  ToggleSettingDef | EnumSettingDef | IntegerSettingDef | TimeOfDaySettingDef;

export interface SectionDef {
  /** snake_case, unique in the catalog. */
  readonly key: string;
  readonly labels: Localized;
  readonly help: Localized;
  readonly settings: readonly SettingDef[];
}

/** The value type of one setting definition. */
export type ValueOf<S extends SettingDef> = S extends { readonly type: 'toggle' }
  ? boolean
  : S extends { readonly type: 'enum'; readonly values: readonly (infer E)[] }
    ? E extends { readonly value: infer V }
      ? V
      : never
    : S extends { readonly type: 'integer' }
      ? number
      : S extends { readonly type: 'time_of_day' }
        ? TimeOfDay
        : never;

/** A complete settings object for a catalog: `{ [section]: { [setting]: value } }`. */
export type SettingsOf<C extends readonly SectionDef[]> = {
  [Sec in C[number] as Sec['key']]: {
    [S in Sec['settings'][number] as S['key']]: ValueOf<S>;
  };
};

/** Where a setting lives, as shown in messages and diffs: `basic.poll_interval`. */
export type SettingPathOf<C extends readonly SectionDef[]> = {
  [Sec in C[number] as Sec['key']]: `${Sec['key']}.${Sec['settings'][number]['key']}`;
}[C[number]['key']];
