import {
  type EnumValueDef,
  type Localized,
  type SectionDef,
  type SettingPathOf,
  type SettingsOf,
} from './catalog-types';

/**
 * The policy catalog (DESIGN §8) as data: every section and setting an
 * endpoint policy holds, in the order the console shows them. It is the one
 * source for validation, the OpenAPI schema, the console's forms and the
 * agent's payload; nothing else lists settings.
 *
 * Keys are stable: agents and stored policies use them. Renaming or removing
 * one is a migration (and a bump of POLICY_CATALOG_VERSION), not an edit.
 */

/** Bumped whenever the catalog's keys or allowed values change, so agents re-read their settings. */
export const POLICY_CATALOG_VERSION = 1;

const text = (ja: string, en: string): Localized => ({ ja, en });

function toggle<K extends string>(key: K, labels: Localized, help: Localized) {
  return { key, type: 'toggle', labels, help } as const;
}

function choice<K extends string, const V extends readonly EnumValueDef[]>(
  key: K,
  labels: Localized,
  help: Localized,
  values: V,
) {
  return { key, type: 'enum', labels, help, values } as const;
}

const value = <V extends string>(v: V, ja: string, en: string) =>
  ({ value: v, labels: text(ja, en) }) as const;

const enabled = (ja: string, en: string) =>
  toggle('enabled', text('有効', 'Enabled'), text(`${ja}を有効にします。`, `Turns ${en} on.`));

const HEURISTICS_SETTINGS = [
  choice(
    'level',
    text('ヒューリスティックのレベル', 'Heuristics level'),
    text(
      'レベルが高いほど未知の脅威を多く検出しますが、誤検出も増えます。',
      'Higher levels catch more unknown threats and also more false positives.',
    ),
    [
      value('off', 'オフ', 'Off'),
      value('low', '低', 'Low'),
      value('medium', '中', 'Medium'),
      value('high', '高', 'High'),
      value('maximum', '最大', 'Maximum'),
    ],
  ),
  toggle(
    'age_heuristics',
    text('経過時間ヒューリスティック', 'Age heuristics'),
    text(
      '最近現れたばかりのファイルをより疑わしいものとして扱います。',
      'Treats files first seen very recently as more suspicious.',
    ),
  ),
  toggle(
    'popularity_heuristics',
    text('普及度ヒューリスティック', 'Popularity heuristics'),
    text(
      'ほとんど見かけないファイルをより疑わしいものとして扱います。',
      'Treats files seen on very few computers as more suspicious.',
    ),
  ),
] as const;

function heuristicsSection<K extends string>(key: K, area: Localized, where: Localized) {
  return {
    key,
    labels: text(`${area.ja} ヒューリスティック`, `${area.en} heuristics`),
    help: text(
      `${where.ja}のファイルに適用するヒューリスティック検出です。`,
      `Heuristic detection for files ${where.en}.`,
    ),
    settings: HEURISTICS_SETTINGS,
  } as const;
}

const POLL_INTERVALS = [
  value('15m', '15分', '15 minutes'),
  value('30m', '30分', '30 minutes'),
  value('1h', '1時間', '1 hour'),
  value('2h', '2時間', '2 hours'),
  value('4h', '4時間', '4 hours'),
  value('6h', '6時間', '6 hours'),
  value('12h', '12時間', '12 hours'),
  value('daily', '毎日', 'Daily'),
] as const;

export type PollInterval = (typeof POLL_INTERVALS)[number]['value'];

const POLL_INTERVAL_SECONDS: Readonly<Record<PollInterval, number>> = {
  '15m': 15 * 60,
  '30m': 30 * 60,
  '1h': 3600,
  '2h': 2 * 3600,
  '4h': 4 * 3600,
  '6h': 6 * 3600,
  '12h': 12 * 3600,
  daily: 24 * 3600,
};

/** How often an agent with this poll interval checks in, in seconds. */
export function pollIntervalSeconds(interval: PollInterval): number {
  return POLL_INTERVAL_SECONDS[interval];
}

export const POLICY_CATALOG = [
  {
    key: 'basic',
    labels: text('基本設定', 'Basic settings'),
    help: text(
      'エージェントの表示、更新、負荷とチェックインの間隔です。',
      'How the agent appears, updates, loads the computer and how often it checks in.',
    ),
    settings: [
      toggle(
        'desktop_shortcut',
        text('デスクトップ ショートカット', 'Desktop shortcut'),
        text('デスクトップにショートカットを置きます。', 'Puts a shortcut on the desktop.'),
      ),
      toggle(
        'tray_icon',
        text('システムトレイ アイコン', 'System tray icon'),
        text('通知領域にアイコンを表示します。', 'Shows an icon in the notification area.'),
      ),
      toggle(
        'splash_screen',
        text('スプラッシュ画面', 'Splash screen'),
        text('起動時にスプラッシュ画面を表示します。', 'Shows a splash screen at start-up.'),
      ),
      toggle(
        'start_menu_entry',
        text('スタートメニューの項目', 'Start menu entry'),
        text('スタートメニューに項目を追加します。', 'Adds an entry to the start menu.'),
      ),
      toggle(
        'listed_in_installed_programs',
        text('インストール済みプログラムに表示', 'Listed in installed programs'),
        text(
          'インストール済みプログラムの一覧にエージェントを表示します。',
          'Lists the agent among the installed programs.',
        ),
      ),
      toggle(
        'hide_keycode',
        text('キーコードを画面に表示しない', 'Hide keycode on screen'),
        text(
          'エージェントの画面でキーコードを隠します。',
          "Hides the keycode in the agent's windows.",
        ),
      ),
      toggle(
        'auto_update',
        text('自動更新', 'Automatic updates'),
        text('エージェントを自動的に更新します。', 'Updates the agent automatically.'),
      ),
      toggle(
        'low_cpu_background',
        text('バックグラウンド処理の CPU 負荷を抑える', 'Low-CPU background work'),
        text(
          'バックグラウンドの処理を低い優先度で実行します。',
          'Runs background work at low priority.',
        ),
      ),
      toggle(
        'favour_low_disk_use',
        text('ディスク使用量を抑える', 'Favour low disk use'),
        text(
          'キャッシュとログを小さく保ちます。',
          'Keeps caches and logs small at some cost in speed.',
        ),
      ),
      toggle(
        'yield_to_full_screen_apps',
        text('全画面アプリを優先する', 'Yield to full-screen apps'),
        text(
          '全画面のアプリの実行中は通知と重い処理を控えます。',
          'Holds back notifications and heavy work while a full-screen app runs.',
        ),
      ),
      toggle(
        'allow_manual_shutdown',
        text('エージェントの手動停止を許可する', 'Allow manual shutdown of the agent'),
        text(
          'エンドポイントの利用者がエージェントを停止できるようにします。',
          'Lets the person at the endpoint stop the agent.',
        ),
      ),
      choice(
        'poll_interval',
        text('ポーリング間隔', 'Poll interval'),
        text(
          'エージェントが管理コンソールに問い合わせる間隔です。',
          'How often the agent checks in with the management console.',
        ),
        POLL_INTERVALS,
      ),
    ],
  },
  {
    key: 'scan_schedule',
    labels: text('スキャンのスケジュール', 'Scan schedule'),
    help: text('定期スキャンを実行する日時です。', 'When the scheduled scan runs.'),
    settings: [
      toggle(
        'enabled',
        text('スケジュール スキャン', 'Scheduled scan'),
        text('定期スキャンを実行します。', 'Runs a scan on a schedule.'),
      ),
      choice(
        'day',
        text('曜日', 'Day'),
        text('スキャンを実行する曜日です。', 'The day the scan runs.'),
        [
          value('every_day', '毎日', 'Every day'),
          value('monday', '月曜日', 'Monday'),
          value('tuesday', '火曜日', 'Tuesday'),
          value('wednesday', '水曜日', 'Wednesday'),
          value('thursday', '木曜日', 'Thursday'),
          value('friday', '金曜日', 'Friday'),
          value('saturday', '土曜日', 'Saturday'),
          value('sunday', '日曜日', 'Sunday'),
        ],
      ),
      {
        key: 'hour',
        type: 'integer',
        min: 0,
        max: 23,
        labels: text('時刻（時）', 'Hour'),
        help: text(
          'スキャンを開始する時（0〜23、エンドポイントの時刻）です。',
          "The hour the scan starts (0–23, the endpoint's clock).",
        ),
      },
      toggle(
        'run_missed_at_startup',
        text('実行されなかったスキャンを起動時に実行', 'Scan at start-up if missed'),
        text(
          '予定時刻に電源が入っていなかった場合、起動時にスキャンします。',
          'Scans at start-up when the computer was off at the scheduled time.',
        ),
      ),
      toggle(
        'skip_on_battery',
        text('バッテリー駆動時はスキップ', 'Skip on battery'),
        text(
          'バッテリーで動作している間はスキャンしません。',
          'Does not scan while running on battery.',
        ),
      ),
      toggle(
        'skip_during_full_screen',
        text('全画面アプリの実行中はスキップ', 'Skip during full-screen apps'),
        text(
          '全画面のアプリの実行中はスキャンしません。',
          'Does not scan while a full-screen app runs.',
        ),
      ),
      toggle(
        'hide_scan_progress',
        text('スキャンの進行状況を表示しない', 'Hide scan progress'),
        text(
          'スキャン中に進行状況のウィンドウを表示しません。',
          'Shows no progress window during the scan.',
        ),
      ),
    ],
  },
  {
    key: 'scan_settings',
    labels: text('スキャン設定', 'Scan settings'),
    help: text(
      'スキャンの対象と、見つかった脅威の扱いです。',
      'What scans cover and what they do with threats.',
    ),
    settings: [
      toggle(
        'rootkit_detection',
        text('ルートキットの検出', 'Rootkit detection'),
        text('ルートキットを探します。', 'Looks for rootkits.'),
      ),
      toggle(
        'scan_archives',
        text('アーカイブをスキャン', 'Scan archives'),
        text('圧縮ファイルの中もスキャンします。', 'Scans inside compressed archives.'),
      ),
      toggle(
        'auto_remove_background_threats',
        text(
          'バックグラウンド スキャンで見つかった脅威を自動的に削除',
          'Auto-remove threats found in background scans',
        ),
        text(
          'バックグラウンド スキャンで見つかった脅威を確認なしで削除します。',
          'Removes threats found by background scans without asking.',
        ),
      ),
      toggle(
        'auto_quarantine_new_threats',
        text('新しい脅威を自動的に隔離', 'Auto-quarantine new threats'),
        text('新しく見つかった脅威を隔離します。', 'Moves newly found threats to quarantine.'),
      ),
      toggle(
        'scan_removable_drives',
        text('リムーバブル ドライブをスキャン', 'Scan removable drives'),
        text(
          '接続されたリムーバブル ドライブをスキャンします。',
          'Scans removable drives when connected.',
        ),
      ),
    ],
  },
  {
    key: 'self_protection',
    labels: text('自己保護', 'Self protection'),
    help: text(
      'エージェント自体を停止や改ざんから守ります。',
      'Protects the agent itself from being stopped or tampered with.',
    ),
    settings: [
      enabled('自己保護', 'self protection'),
      choice(
        'level',
        text('レベル', 'Level'),
        text('自己保護の強さです。', 'How strictly the agent protects itself.'),
        [
          value('minimum', '最小', 'Minimum'),
          value('medium', '中', 'Medium'),
          value('maximum', '最大', 'Maximum'),
        ],
      ),
    ],
  },
  heuristicsSection(
    'heuristics_local',
    text('ローカル', 'Local'),
    text('ローカル ドライブ上', 'on local drives'),
  ),
  heuristicsSection('heuristics_usb', text('USB', 'USB'), text('USB デバイス上', 'on USB devices')),
  heuristicsSection(
    'heuristics_internet',
    text('インターネット', 'Internet'),
    text('インターネットから取得した', 'downloaded from the internet'),
  ),
  heuristicsSection(
    'heuristics_network',
    text('ネットワーク', 'Network'),
    text('ネットワーク共有上', 'on network shares'),
  ),
  heuristicsSection(
    'heuristics_cd_dvd',
    text('CD/DVD', 'CD/DVD'),
    text('CD/DVD 上', 'on CDs and DVDs'),
  ),
  heuristicsSection(
    'heuristics_offline',
    text('オフライン', 'Offline'),
    text('オフライン時', 'while the endpoint is offline'),
  ),
  {
    key: 'realtime_shield',
    labels: text('リアルタイムシールド', 'Realtime shield'),
    help: text('ファイルが使われるときに検査します。', 'Checks files as they are used.'),
    settings: [
      enabled('リアルタイムシールド', 'the realtime shield'),
      toggle(
        'offline_protection',
        text(
          '中央データベースによるオフライン保護',
          'Offline protection from the central database',
        ),
        text(
          'オフライン時も中央データベースの判定の写しを使います。',
          "Uses a local copy of the central database's verdicts while offline.",
        ),
      ),
      toggle(
        'remember_actions',
        text('ブロックしたファイルへの操作を記憶', 'Remember actions on blocked files'),
        text(
          'ブロックしたファイルに対する利用者の選択を記憶します。',
          "Remembers the user's choice for a blocked file.",
        ),
      ),
      toggle(
        'auto_quarantine_blocked',
        text('ブロックしたファイルを自動的に隔離', 'Auto-quarantine blocked files'),
        text('ブロックしたファイルを隔離します。', 'Moves blocked files to quarantine.'),
      ),
      toggle(
        'block_on_execution',
        text('実行時に検出したファイルをブロック', 'Block files detected on execution'),
        text(
          '実行しようとしたときに脅威と判定したファイルを止めます。',
          'Stops a file found to be a threat when it is run.',
        ),
      ),
      toggle(
        'scan_on_write',
        text('書き込み・変更時にスキャン', 'Scan files when written or modified'),
        text(
          'ファイルが書き込まれたり変更されたりしたときにスキャンします。',
          'Scans a file when it is written or modified.',
        ),
      ),
    ],
  },
  {
    key: 'behavior_shield',
    labels: text('ビヘイビアシールド', 'Behavior shield'),
    help: text('実行中のプログラムの振る舞いを監視します。', 'Watches what running programs do.'),
    settings: [
      enabled('ビヘイビアシールド', 'the behavior shield'),
      toggle(
        'ransomware_protection',
        text('ランサムウェア対策', 'Ransomware protection'),
        text(
          'ファイルを大量に暗号化するプログラムを止めます。',
          'Stops programs that encrypt many files.',
        ),
      ),
      toggle(
        'block_suspicious_child_processes',
        text('不審な子プロセスをブロック', 'Block suspicious child processes'),
        text(
          '文書やブラウザーから起動された不審なプロセスを止めます。',
          'Stops suspicious processes started by documents or browsers.',
        ),
      ),
      toggle(
        'rollback_changes',
        text('変更のロールバック', 'Roll back changes'),
        text(
          '脅威と判定したプログラムによる変更を元に戻します。',
          'Undoes the changes made by a program found to be a threat.',
        ),
      ),
    ],
  },
  {
    key: 'core_system_shield',
    labels: text('コアシステムシールド', 'Core system shield'),
    help: text(
      'OS の重要な部分を改ざんから守ります。',
      'Protects the core of the operating system from tampering.',
    ),
    settings: [
      enabled('コアシステムシールド', 'the core system shield'),
      toggle(
        'protect_boot_records',
        text('ブートレコードの保護', 'Protect boot records'),
        text('ブートレコードへの書き込みを止めます。', 'Stops writes to the boot records.'),
      ),
      toggle(
        'protect_system_files',
        text('システムファイルの保護', 'Protect system files'),
        text(
          'OS のファイルの置き換えや変更を止めます。',
          'Stops operating-system files from being replaced or changed.',
        ),
      ),
      toggle(
        'protect_startup_entries',
        text('自動起動項目の保護', 'Protect start-up entries'),
        text(
          '自動起動の登録の追加や変更を監視します。',
          'Watches programs being added to or changed in start-up.',
        ),
      ),
    ],
  },
  {
    key: 'web_threat_shield',
    labels: text('Web 脅威シールド', 'Web threat shield'),
    help: text(
      '危険な Web サイトとダウンロードから守ります。',
      'Protects against dangerous websites and downloads.',
    ),
    settings: [
      enabled('Web 脅威シールド', 'the web threat shield'),
      toggle(
        'block_malicious_urls',
        text('悪意のある URL をブロック', 'Block malicious URLs'),
        text(
          '既知の悪意のあるサイトへの接続を止めます。',
          'Stops connections to known malicious sites.',
        ),
      ),
      toggle(
        'block_phishing_sites',
        text('フィッシング サイトをブロック', 'Block phishing sites'),
        text('フィッシング サイトへの接続を止めます。', 'Stops connections to phishing sites.'),
      ),
      toggle(
        'scan_encrypted_traffic',
        text('暗号化された通信を検査', 'Inspect encrypted traffic'),
        text('HTTPS の通信も検査します。', 'Inspects HTTPS traffic as well.'),
      ),
    ],
  },
  {
    key: 'identity_shield',
    labels: text('アイデンティティシールド', 'Identity shield'),
    help: text(
      'パスワードや入力内容の盗み出しから守ります。',
      'Protects passwords and what is typed from being stolen.',
    ),
    settings: [
      enabled('アイデンティティシールド', 'the identity shield'),
      toggle(
        'keylogger_protection',
        text('キーロガー対策', 'Keylogger protection'),
        text(
          'キー入力を記録するプログラムを止めます。',
          'Stops programs from recording keystrokes.',
        ),
      ),
      toggle(
        'protect_browser_sessions',
        text('ブラウザーのセッションを保護', 'Protect browser sessions'),
        text(
          'ブラウザーの保存済みの資格情報と Cookie を守ります。',
          "Protects the browser's saved credentials and cookies.",
        ),
      ),
      toggle(
        'screen_capture_protection',
        text('画面キャプチャ対策', 'Screen capture protection'),
        text(
          '保護されたウィンドウの画面キャプチャを止めます。',
          'Stops screen captures of protected windows.',
        ),
      ),
    ],
  },
  {
    key: 'firewall',
    labels: text('ファイアウォール', 'Firewall'),
    help: text(
      'エンドポイントのネットワーク接続を制御します。',
      "Controls the endpoint's network connections.",
    ),
    settings: [
      enabled('ファイアウォール', 'the firewall'),
      choice(
        'level',
        text('レベル', 'Level'),
        text('ファイアウォールの厳しさです。', 'How strict the firewall is.'),
        [
          value('off', 'オフ', 'Off'),
          value('default', 'デフォルト', 'Default'),
          value('medium', '中', 'Medium'),
          value('maximum', '最大', 'Maximum'),
        ],
      ),
      toggle(
        'warn_os_firewall_disabled',
        text('OS のファイアウォールが無効なときに警告', 'Warn when OS firewall disabled'),
        text(
          'OS のファイアウォールが無効になっていると警告します。',
          "Warns when the operating system's firewall is turned off.",
        ),
      ),
    ],
  },
  {
    key: 'user_interface',
    labels: text('ユーザー インターフェイス', 'User interface'),
    help: text(
      'エンドポイントの利用者にエージェントの画面を見せるかどうかです。',
      'Whether the person at the endpoint sees the agent.',
    ),
    settings: [
      choice(
        'gui',
        text('GUI', 'GUI'),
        text('エージェントの画面を表示するか隠すかです。', "Shows or hides the agent's windows."),
        [value('shown', '表示', 'Shown'), value('hidden', '非表示', 'Hidden')],
      ),
    ],
  },
  {
    key: 'evasion_shield',
    labels: text('回避シールド', 'Evasion shield'),
    help: text(
      '検出を逃れようとするスクリプトやファイルレスの攻撃から守ります。',
      'Protects against scripts and fileless attacks that try to evade detection.',
    ),
    settings: [
      choice(
        'script_protection',
        text('スクリプト保護', 'Script protection'),
        text(
          '悪意のあるスクリプトを見つけたときの動作です。',
          'What the agent does when it finds a malicious script.',
        ),
        [
          value('off', 'オフ', 'Off'),
          value('detect_only', '検出のみ', 'Detect only'),
          value('detect_and_remediate', '検出して修復', 'Detect and remediate'),
        ],
      ),
      toggle(
        'fileless_script_protection',
        text('ファイルレス スクリプトの保護', 'Fileless script protection'),
        text(
          'ディスクに保存されずに実行されるスクリプトも検査します。',
          'Also checks scripts that run without being saved to disk.',
        ),
      ),
    ],
  },
] as const satisfies readonly SectionDef[];

export type PolicyCatalog = typeof POLICY_CATALOG;
export type PolicySectionDef = PolicyCatalog[number];
export type PolicySectionKey = PolicySectionDef['key'];

/** A complete settings object: every section, every setting. */
export type PolicySettings = SettingsOf<PolicyCatalog>;

/** `basic.poll_interval`, `heuristics_local.level`, … */
export type PolicySettingPath = SettingPathOf<PolicyCatalog>;

/** A partial change: any subset of sections, and of settings within each. */
export type PolicySettingsPatch = {
  [K in PolicySectionKey]?: Partial<PolicySettings[K]>;
};

/** The catalog's sections by key (read-only). */
export const POLICY_SECTIONS: ReadonlyMap<string, SectionDef> = new Map(
  POLICY_CATALOG.map((section) => [section.key, section]),
);
