import { type Localized } from './catalog-types';
import { type PolicySettings } from './policy-catalog';

/**
 * The four built-in policies (DESIGN §8). Every console sees them; they are
 * read-only and copied to make new ones. Their ids are fixed here, once, so
 * every service, every console and every agent names them the same way.
 *
 * Each gives a value for every setting: `PolicySettings` is derived from the
 * catalog, so a setting added there without a value here does not compile.
 */

export const BUILTIN_POLICY_KEYS = [
  'recommended_defaults',
  'recommended_server_defaults',
  'silent_audit',
  'unmanaged',
] as const;
export type BuiltinPolicyKey = (typeof BUILTIN_POLICY_KEYS)[number];

export interface BuiltinPolicy {
  readonly id: string;
  readonly key: BuiltinPolicyKey;
  readonly name: Localized;
  readonly description: Localized;
  /**
   * The agent keeps its local settings and ignores `settings` (they are still
   * complete, so a copy of the policy starts from sensible values).
   */
  readonly unmanaged: boolean;
  readonly settings: PolicySettings;
}

export const BUILTIN_POLICY_IDS = {
  recommended_defaults: '435fe771-48a6-4acc-86ef-bfdf4c484d64',
  recommended_server_defaults: '30ec99da-750a-48a3-857e-23ca7026f8c2',
  silent_audit: '6e6130a3-6e0b-4ad7-abd0-d19eaa53d295',
  unmanaged: 'bbb96bfb-0be0-42d7-aa4e-2f9aacf776bc',
} as const satisfies Record<BuiltinPolicyKey, string>;

const heuristics = (level: PolicySettings['heuristics_local']['level']) =>
  ({ level, age_heuristics: true, popularity_heuristics: true }) as const;

const RECOMMENDED_DEFAULTS: PolicySettings = {
  basic: {
    desktop_shortcut: true,
    tray_icon: true,
    splash_screen: true,
    start_menu_entry: true,
    listed_in_installed_programs: true,
    hide_keycode: false,
    auto_update: true,
    low_cpu_background: true,
    favour_low_disk_use: false,
    yield_to_full_screen_apps: true,
    allow_manual_shutdown: false,
    poll_interval: '15m',
  },
  scan_schedule: {
    enabled: true,
    day: 'every_day',
    hour: 12,
    run_missed_at_startup: true,
    skip_on_battery: true,
    skip_during_full_screen: true,
    hide_scan_progress: false,
  },
  scan_settings: {
    rootkit_detection: true,
    scan_archives: true,
    auto_remove_background_threats: true,
    auto_quarantine_new_threats: true,
    scan_removable_drives: true,
  },
  self_protection: { enabled: true, level: 'maximum' },
  heuristics_local: heuristics('medium'),
  heuristics_usb: heuristics('high'),
  heuristics_internet: heuristics('high'),
  heuristics_network: heuristics('medium'),
  heuristics_cd_dvd: heuristics('medium'),
  heuristics_offline: heuristics('high'),
  realtime_shield: {
    enabled: true,
    offline_protection: true,
    remember_actions: true,
    auto_quarantine_blocked: true,
    block_on_execution: true,
    scan_on_write: true,
  },
  behavior_shield: {
    enabled: true,
    ransomware_protection: true,
    block_suspicious_child_processes: true,
    rollback_changes: true,
  },
  core_system_shield: {
    enabled: true,
    protect_boot_records: true,
    protect_system_files: true,
    protect_startup_entries: true,
  },
  web_threat_shield: {
    enabled: true,
    block_malicious_urls: true,
    block_phishing_sites: true,
    scan_encrypted_traffic: true,
  },
  identity_shield: {
    enabled: true,
    keylogger_protection: true,
    protect_browser_sessions: true,
    screen_capture_protection: true,
  },
  firewall: { enabled: true, level: 'default', warn_os_firewall_disabled: true },
  user_interface: { gui: 'shown' },
  evasion_shield: { script_protection: 'detect_and_remediate', fileless_script_protection: true },
};

/** Servers: lower impact, no firewall or web shields, scans at night. */
const RECOMMENDED_SERVER_DEFAULTS: PolicySettings = {
  ...RECOMMENDED_DEFAULTS,
  basic: {
    ...RECOMMENDED_DEFAULTS.basic,
    desktop_shortcut: false,
    splash_screen: false,
    low_cpu_background: true,
    favour_low_disk_use: true,
  },
  scan_schedule: {
    ...RECOMMENDED_DEFAULTS.scan_schedule,
    hour: 2,
    skip_on_battery: false,
    skip_during_full_screen: false,
    hide_scan_progress: true,
  },
  scan_settings: { ...RECOMMENDED_DEFAULTS.scan_settings, scan_archives: false },
  heuristics_local: heuristics('low'),
  heuristics_usb: heuristics('medium'),
  heuristics_internet: heuristics('medium'),
  heuristics_network: heuristics('low'),
  heuristics_cd_dvd: heuristics('low'),
  heuristics_offline: heuristics('medium'),
  web_threat_shield: {
    enabled: false,
    block_malicious_urls: false,
    block_phishing_sites: false,
    scan_encrypted_traffic: false,
  },
  identity_shield: {
    enabled: false,
    keylogger_protection: false,
    protect_browser_sessions: false,
    screen_capture_protection: false,
  },
  firewall: { enabled: false, level: 'off', warn_os_firewall_disabled: false },
};

/** Detect and report only: nothing blocked, quarantined or removed, nothing on screen. */
const SILENT_AUDIT: PolicySettings = {
  ...RECOMMENDED_DEFAULTS,
  basic: {
    ...RECOMMENDED_DEFAULTS.basic,
    desktop_shortcut: false,
    tray_icon: false,
    splash_screen: false,
    start_menu_entry: false,
    hide_keycode: true,
  },
  scan_schedule: { ...RECOMMENDED_DEFAULTS.scan_schedule, hide_scan_progress: true },
  scan_settings: {
    ...RECOMMENDED_DEFAULTS.scan_settings,
    auto_remove_background_threats: false,
    auto_quarantine_new_threats: false,
  },
  realtime_shield: {
    ...RECOMMENDED_DEFAULTS.realtime_shield,
    remember_actions: false,
    auto_quarantine_blocked: false,
    block_on_execution: false,
  },
  behavior_shield: {
    enabled: true,
    ransomware_protection: false,
    block_suspicious_child_processes: false,
    rollback_changes: false,
  },
  core_system_shield: {
    enabled: true,
    protect_boot_records: false,
    protect_system_files: false,
    protect_startup_entries: true,
  },
  web_threat_shield: {
    enabled: true,
    block_malicious_urls: false,
    block_phishing_sites: false,
    scan_encrypted_traffic: true,
  },
  identity_shield: {
    enabled: true,
    keylogger_protection: false,
    protect_browser_sessions: false,
    screen_capture_protection: false,
  },
  firewall: { enabled: false, level: 'off', warn_os_firewall_disabled: false },
  user_interface: { gui: 'hidden' },
  evasion_shield: { script_protection: 'detect_only', fileless_script_protection: true },
};

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** Built-ins first in the console's lists, in this order. */
export const BUILTIN_POLICIES: readonly BuiltinPolicy[] = deepFreeze([
  {
    id: BUILTIN_POLICY_IDS.recommended_defaults,
    key: 'recommended_defaults',
    name: { ja: '推奨デフォルト設定', en: 'Recommended Defaults' },
    description: {
      ja: 'PC 向けの推奨設定です。すべてのシールドを有効にし、脅威を自動的に隔離・削除します。',
      en: 'Recommended for PCs: every shield on; threats are quarantined and removed automatically.',
    },
    unmanaged: false,
    settings: RECOMMENDED_DEFAULTS,
  },
  {
    id: BUILTIN_POLICY_IDS.recommended_server_defaults,
    key: 'recommended_server_defaults',
    name: { ja: '推奨サーバーデフォルト設定', en: 'Recommended Server Defaults' },
    description: {
      ja: 'サーバー向けの推奨設定です。負荷を抑え、ファイアウォールと Web のシールドはオフ、スキャンは夜間に実行します。',
      en: 'Recommended for servers: lower impact, firewall and web shields off, scans at night.',
    },
    unmanaged: false,
    settings: RECOMMENDED_SERVER_DEFAULTS,
  },
  {
    id: BUILTIN_POLICY_IDS.silent_audit,
    key: 'silent_audit',
    name: { ja: 'サイレント監査', en: 'Silent Audit' },
    description: {
      ja: '検出して報告するだけです。ブロック・隔離・削除は行わず、画面にも何も表示しません。',
      en: 'Detects and reports only: nothing is blocked, quarantined or removed, and nothing is shown.',
    },
    unmanaged: false,
    settings: SILENT_AUDIT,
  },
  {
    id: BUILTIN_POLICY_IDS.unmanaged,
    key: 'unmanaged',
    name: { ja: '管理対象外', en: 'Unmanaged' },
    description: {
      ja: 'エージェントはローカルの設定をそのまま使います。',
      en: 'The agent keeps its local settings.',
    },
    unmanaged: true,
    settings: RECOMMENDED_DEFAULTS,
  },
]);

/** The built-in with this id, or undefined. */
export function builtinPolicyById(id: string): BuiltinPolicy | undefined {
  return BUILTIN_POLICIES.find((policy) => policy.id === id);
}
