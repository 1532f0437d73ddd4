import { formatMailDate } from '@warden/platform';
import {
  ENDPOINT_STATUSES,
  type EndpointStatus,
  type LANGUAGES,
  type SeatUsage,
  type SiteReport,
} from '@warden/contracts';

export type Language = (typeof LANGUAGES)[number];

/** What a site's report e-mail says (inventory's figures, licensing's seats, pending commands). */
export interface SiteReportFigures {
  consoleName: string;
  siteName: string;
  /** The report covers what happened from `since` to `until`. */
  since: Date;
  until: Date;
  endpoints: Pick<SiteReport, 'total' | 'counts' | 'newDetections' | 'topThreats'>;
  seats: SeatUsage;
  pendingCommands: number;
}

export interface RenderedMail {
  subject: string;
  text: string;
}

/** The endpoint statuses as the console names them (DESIGN §11). */
const STATUS_LABELS: Record<Language, Record<EndpointStatus, string>> = {
  ja: {
    protected: '保護されています',
    infected: '感染',
    not_seen_recently: '最近確認されていません',
    deactivation_pending: '非アクティブ化の保留中',
    removal_unverified: '削除が未確認',
    deactivated: '非アクティブ化済みデバイス',
  },
  en: {
    protected: 'protected',
    infected: 'infected',
    not_seen_recently: 'not seen recently',
    deactivation_pending: 'deactivation pending',
    removal_unverified: 'removal unverified',
    deactivated: 'deactivated devices',
  },
};

/** A threat's name is the agent's text: one line of it, so it cannot shape the message. */
function oneLine(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}\u2028\u2029]+/gu, ' ').trim();
}

function statusLines(figures: SiteReportFigures, language: Language): string[] {
  return ENDPOINT_STATUSES.map(
    (status) => `  ${STATUS_LABELS[language][status]}: ${figures.endpoints.counts[status] ?? 0}`,
  );
}

function threatLines(figures: SiteReportFigures, unit: string): string[] {
  return figures.endpoints.topThreats.map(
    (threat) => `  ${oneLine(threat.threatName)}: ${threat.count}${unit}`,
  );
}

/**
 * The scheduled report e-mail to a site's report distribution list, in the
 * console's language (DESIGN §11 terms). Plain text: it reads the same in
 * every mail client and carries no tracking.
 */
export function siteReportMail(language: Language, figures: SiteReportFigures): RenderedMail {
  const period = `${formatMailDate(figures.since, language)} – ${formatMailDate(figures.until, language)}`;
  const { seats, endpoints } = figures;
  if (language === 'ja') {
    return {
      subject: `【Warden】エンドポイント レポート — ${figures.siteName}（${figures.consoleName}）`,
      text: [
        `管理コンソール「${figures.consoleName}」のサイト「${figures.siteName}」のエンドポイントプロテクション レポートです。`,
        `期間: ${period}`,
        '',
        `状態別のエンドポイント（合計 ${endpoints.total} 台）`,
        ...statusLines(figures, language),
        '',
        `前回のレポート以降の新しい検出: ${endpoints.newDetections} 件`,
        ...threatLines(figures, ' 件'),
        '',
        `サイトのシート数: ${seats.seats}（使用中 ${seats.used}、空き ${seats.free}${seats.overage > 0 ? `、超過 ${seats.overage}` : ''}）`,
        `保留中のエージェントコマンド: ${figures.pendingCommands} 件`,
        '',
        'このメールはレポートの配信先リストに送信されています。配信先は管理コンソールのサイト設定で変更できます。',
      ].join('\n'),
    };
  }
  return {
    subject: `[Warden] Endpoint report — ${figures.siteName} (${figures.consoleName})`,
    text: [
      `Endpoint protection report for the site "${figures.siteName}" of the management console "${figures.consoleName}".`,
      `Period: ${period}`,
      '',
      `Endpoints by status (${endpoints.total} in total)`,
      ...statusLines(figures, language),
      '',
      `New detections since the previous report: ${endpoints.newDetections}`,
      ...threatLines(figures, ''),
      '',
      `Site seats: ${seats.seats} (${seats.used} used, ${seats.free} free${seats.overage > 0 ? `, ${seats.overage} over` : ''})`,
      `Agent commands pending: ${figures.pendingCommands}`,
      '',
      "This e-mail goes to the site's report distribution list; change it in the site's settings in the management console.",
    ].join('\n'),
  };
}
