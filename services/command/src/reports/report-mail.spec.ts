import { type SiteReportFigures, siteReportMail } from './report-mail';

const figures: SiteReportFigures = {
  consoleName: 'Yamada Shoji',
  siteName: 'Head office',
  since: new Date('2026-12-01T08:00:00.000Z'),
  until: new Date('2026-12-02T08:00:00.000Z'),
  endpoints: {
    total: 12,
    counts: {
      protected: 8,
      infected: 1,
      not_seen_recently: 2,
      deactivation_pending: 0,
      removal_unverified: 0,
      deactivated: 1,
    },
    newDetections: 3,
    topThreats: [
      { threatName: 'EICAR-Test-File', count: 2 },
      { threatName: 'Win32:Evil\nSubject: forged', count: 1 },
    ],
  },
  seats: { seats: 50, used: 11, free: 39, overage: 0 },
  pendingCommands: 4,
};

describe('siteReportMail', () => {
  it('reports in Japanese with the console terms and every figure', () => {
    const sut = siteReportMail('ja', figures);

    expect(sut.subject).toBe('【Warden】エンドポイント レポート — Head office（Yamada Shoji）');
    expect(sut.text).toContain('管理コンソール「Yamada Shoji」のサイト「Head office」');
    expect(sut.text).toContain('期間: 2026年12月1日 08:00 UTC – 2026年12月2日 08:00 UTC');
    expect(sut.text).toContain('状態別のエンドポイント（合計 12 台）');
    expect(sut.text).toContain('  保護されています: 8\n');
    expect(sut.text).toContain('  感染: 1\n');
    expect(sut.text).toContain('  最近確認されていません: 2\n');
    expect(sut.text).toContain('  非アクティブ化済みデバイス: 1\n');
    expect(sut.text).toContain('前回のレポート以降の新しい検出: 3 件\n  EICAR-Test-File: 2 件');
    expect(sut.text).toContain('サイトのシート数: 50（使用中 11、空き 39）');
    expect(sut.text).toContain('保留中のエージェントコマンド: 4 件');
  });

  it('reports in English with the console terms and every figure', () => {
    const sut = siteReportMail('en', figures);

    expect(sut.subject).toBe('[Warden] Endpoint report — Head office (Yamada Shoji)');
    expect(sut.text).toContain('the site "Head office" of the management console "Yamada Shoji"');
    expect(sut.text).toContain(
      'Period: 1 December 2026 at 08:00 UTC – 2 December 2026 at 08:00 UTC',
    );
    expect(sut.text).toContain('Endpoints by status (12 in total)');
    expect(sut.text).toContain('  protected: 8\n');
    expect(sut.text).toContain('  not seen recently: 2\n');
    expect(sut.text).toContain('  deactivation pending: 0\n');
    expect(sut.text).toContain('  removal unverified: 0\n');
    expect(sut.text).toContain('New detections since the previous report: 3\n  EICAR-Test-File: 2');
    expect(sut.text).toContain('Site seats: 50 (11 used, 39 free)');
    expect(sut.text).toContain('Agent commands pending: 4');
  });

  it('lists every status in the same order, zero when inventory has none of it', () => {
    const sut = siteReportMail('en', {
      ...figures,
      endpoints: { total: 0, counts: {}, newDetections: 0, topThreats: [] },
    });

    const statuses = sut.text.split('\n').filter((line) => /^ {2}[a-z ]+: 0$/.test(line));
    expect(statuses).toEqual([
      '  protected: 0',
      '  infected: 0',
      '  not seen recently: 0',
      '  deactivation pending: 0',
      '  deactivated devices: 0',
      '  removal unverified: 0',
    ]);
  });

  it('shows overage only when there is some', () => {
    const over = { ...figures, seats: { seats: 10, used: 12, free: 0, overage: 2 } };

    expect(siteReportMail('en', over).text).toContain('Site seats: 10 (12 used, 0 free, 2 over)');
    expect(siteReportMail('ja', over).text).toContain(
      'サイトのシート数: 10（使用中 12、空き 0、超過 2）',
    );
  });

  it("keeps an agent's threat name on one line", () => {
    const sut = siteReportMail('en', figures);

    expect(sut.text).toContain('  Win32:Evil Subject: forged: 1\n');
    expect(sut.text).not.toMatch(/^Subject:/m);
  });
});
