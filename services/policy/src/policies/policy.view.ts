import {
  type BuiltinPolicy,
  type LabelLanguage,
  labelledSettings,
  type PolicyDetail,
  type PolicySettings,
  type PolicySummary,
  settingsVersionTag,
} from '@warden/contracts';
import type { PolicyRecord } from './policy.repository';

/** Built-ins are version 1 for ever: a catalog change shows in the version tag instead. */
export const BUILTIN_VERSION = 1;

/** A built-in or a console's policy, as the rules see either. */
export interface PolicyState {
  readonly id: string;
  readonly consoleId: string | null;
  readonly name: string;
  readonly description: string;
  readonly builtin: boolean;
  readonly unmanaged: boolean;
  readonly version: number;
  readonly settings: PolicySettings;
  readonly createdAt: Date | null;
  readonly updatedAt: Date | null;
}

export function builtinState(policy: BuiltinPolicy, language: LabelLanguage): PolicyState {
  return {
    id: policy.id,
    consoleId: null,
    name: policy.name[language],
    description: policy.description[language],
    builtin: true,
    unmanaged: policy.unmanaged,
    version: BUILTIN_VERSION,
    settings: policy.settings,
    createdAt: null,
    updatedAt: null,
  };
}

export function recordState(record: PolicyRecord): PolicyState {
  return {
    id: record._id,
    consoleId: record.consoleId,
    name: record.name,
    description: record.description,
    builtin: false,
    unmanaged: record.unmanaged,
    version: record.version,
    settings: record.settings as PolicySettings,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

export function toPolicySummary(policy: PolicyState, usedByEndpoints: number): PolicySummary {
  return {
    id: policy.id,
    name: policy.name,
    description: policy.description,
    builtin: policy.builtin,
    unmanaged: policy.unmanaged,
    version: policy.version,
    usedByEndpoints,
    updatedAt: policy.updatedAt?.toISOString() ?? null,
  };
}

export function toPolicyDetail(
  policy: PolicyState,
  language: LabelLanguage,
  usedByEndpoints: number,
): PolicyDetail {
  return {
    ...toPolicySummary(policy, usedByEndpoints),
    consoleId: policy.consoleId,
    settings: policy.settings,
    sections: labelledSettings(policy.settings, language),
    versionTag: settingsVersionTag(policy.id, policy.version),
    createdAt: policy.createdAt?.toISOString() ?? null,
  };
}
