import { type Caller, commandRpc, inventoryRpc, licensingRpc } from '@warden/contracts';
import type { CapturedMail } from '@warden/testing';
import { randomUUID } from 'node:crypto';
import { detection } from './endpoints-harness';
import { housekeepingSystem, QUIET_SCHEDULES } from './housekeeping-harness';
import { agentPath, operator } from './inventory-harness';

interface ReportedSite {
  recipient: string;
  consoleId: string;
  siteId: string;
  deviceIds: string[];
}

describe('Report e-mails (housekeeping)', () => {
  const system = housekeepingSystem({ smtp: true, command: QUIET_SCHEDULES });

  /**
   * A console in `language` whose site (10 seats) reports to one address:
   * three endpoints, one not seen for ten days, three new detections (two of
   * one threat) and one command waiting for its device.
   */
  async function reportedSite(language: 'ja' | 'en'): Promise<ReportedSite> {
    const recipient = `report-${randomUUID().slice(0, 8)}@example.jp`;
    const opened = await system.rpc().request(licensingRpc.createConsole, {
      caller: operator,
      idempotencyKey: randomUUID(),
      name: `Yamada Shoji ${language}`,
      kind: 'production',
      language,
      site: { name: 'Head office', seats: 10, enforcement: 'hard', reportRecipients: [recipient] },
    });
    const consoleId = opened.console.id;
    const site = opened.sites[0]!;
    const deviceIds: string[] = [];
    for (let i = 0; i < 3; i++) deviceIds.push((await system.enroll(site.keycode)).deviceId);
    await system.lastSeenLongAgo(deviceIds[2]!, 24 * 10);
    await system.rpc().request(inventoryRpc.recordDetections, {
      caller: agentPath,
      deviceId: deviceIds[0]!,
      detections: [
        detection({ actionTaken: 'quarantined' }),
        detection({ actionTaken: 'quarantined' }),
        detection({ threatName: 'Win32:Trojan-Test', actionTaken: 'removed' }),
      ],
    });
    const admin: Caller = { actor: { type: 'admin', id: randomUUID() }, consoleId };
    await system.rpc().request(commandRpc.issueCommand, {
      caller: admin,
      endpointId: deviceIds[1]!,
      command: { type: 'scan', parameters: { kind: 'quick' } },
    });
    return { recipient, consoleId, siteId: site.id, deviceIds };
  }

  const mailTo = (recipient: string) => (captured: CapturedMail) =>
    captured.envelopeTo.includes(recipient);
  const mailsTo = (recipient: string) => system.smtp().messages.filter(mailTo(recipient));

  let ja: ReportedSite;
  let en: ReportedSite;
  const firstTick = new Date('2026-12-02T08:00:00.000Z');

  beforeAll(async () => {
    ja = await reportedSite('ja');
    en = await reportedSite('en');
  });

  it("sends each site's report in its console's language, with its figures", async () => {
    await system.runNow('reports', firstTick);

    const jaMail = await system.smtp().waitFor(mailTo(ja.recipient), 15_000);
    expect(jaMail.mail.subject).toBe(
      '【Warden】エンドポイント レポート — Head office（Yamada Shoji ja）',
    );
    expect(jaMail.mail.headers.get('content-language')).toBe('ja');
    const jaText = jaMail.mail.text ?? '';
    expect(jaText).toContain('状態別のエンドポイント（合計 3 台）');
    expect(jaText).toContain('  保護されています: 2\n');
    expect(jaText).toContain('  最近確認されていません: 1\n');
    expect(jaText).toContain('  感染: 0\n');
    expect(jaText).toContain(
      '前回のレポート以降の新しい検出: 3 件\n  EICAR-Test-File: 2 件\n  Win32:Trojan-Test: 1 件',
    );
    expect(jaText).toContain('サイトのシート数: 10（使用中 3、空き 7）');
    expect(jaText).toContain('保留中のエージェントコマンド: 1 件');

    const enMail = await system.smtp().waitFor(mailTo(en.recipient), 15_000);
    expect(enMail.mail.subject).toBe('[Warden] Endpoint report — Head office (Yamada Shoji en)');
    const enText = enMail.mail.text ?? '';
    expect(enText).toContain('Endpoints by status (3 in total)');
    expect(enText).toContain('  protected: 2\n');
    expect(enText).toContain('  not seen recently: 1\n');
    expect(enText).toContain(
      'New detections since the previous report: 3\n  EICAR-Test-File: 2\n  Win32:Trojan-Test: 1',
    );
    expect(enText).toContain('Site seats: 10 (3 used, 7 free)');
    expect(enText).toContain('Agent commands pending: 1');
  });

  it('reports a tick once however often it runs', async () => {
    const again = await system.runNow('reports', firstTick);

    expect(again).toMatchObject({ sent: 0 });
    expect(mailsTo(ja.recipient)).toHaveLength(1);
    expect(mailsTo(en.recipient)).toHaveLength(1);
  });

  it('counts new detections from the previous report on', async () => {
    await system.rpc().request(inventoryRpc.recordDetections, {
      caller: agentPath,
      deviceId: en.deviceIds[0]!,
      detections: [detection({ threatName: 'Win32:Later', actionTaken: 'quarantined' })],
    });

    await system.runNow('reports', new Date(firstTick.getTime() + 24 * 60 * 60 * 1000));

    const second = await system
      .smtp()
      .waitFor(
        (captured) => mailTo(en.recipient)(captured) && captured !== mailsTo(en.recipient)[0],
        15_000,
      );
    expect(second.mail.text).toContain(
      'New detections since the previous report: 1\n  Win32:Later: 1',
    );
  });
});
