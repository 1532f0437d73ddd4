import { BUILTIN_POLICY_IDS } from '@warden/contracts';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { type AuditTrailWatch, watchAuditTrail } from '../audit-trail-watch';
import { PASSWORD } from '../console-client';
import { newAdministrator } from '../system-under-test';
import { browserStack, expectAccessible, expectCleanConsole, screenshot } from './browser-harness';

/*
 * 設定 and 監査ログ in Japanese (DESIGN §3 journeys 7 and 8, issue 13 screen 7):
 * keycode and seats read-only, the default endpoint policy, the report
 * distribution list and the "not seen recently" threshold saved; then the
 * audit trail lists those changes, narrows them with a filter, exports them
 * as CSV and verifies its chain.
 */

const TOKEN = `settings-browser-operator-token-${process.pid}`;

interface SiteReply {
  defaultPolicyId: string | null;
  reportRecipients: string[];
}
interface AuditPage {
  items: { action: string }[];
}

describe('設定 and 監査ログ in the browser', () => {
  const { client, signedInPage } = browserStack(TOKEN);
  let trail: AuditTrailWatch;
  beforeAll(async () => {
    trail = await watchAuditTrail();
  });
  afterAll(async () => {
    await trail?.stop();
  });

  /** Waits for the save's PATCH while clicking the section's 変更を保存. */
  const saveSection = async (page: Page, section: string, path: RegExp) => {
    const saved = page.waitForResponse(
      (response) => response.request().method() === 'PATCH' && path.test(response.url()),
    );
    await page
      .getByRole('region', { name: section })
      .getByRole('button', { name: '変更を保存' })
      .click();
    return saved;
  };

  it('changes the site and console settings, and the audit trail lists, filters, exports and verifies them', async () => {
    const { account, token, siteId, keycode } = await client.signedInConsole();
    const page = await signedInPage(account, '/settings');
    await page.getByRole('heading', { level: 1, name: '設定' }).waitFor();
    await page.getByRole('heading', { level: 2, name: '設定 › エンドポイント' }).waitFor();

    // Keycode and seats are read-only: seats change only through the provider.
    const keycodeField = page.getByRole('textbox', { name: 'キーコード' });
    expect(await keycodeField.inputValue()).toBe(keycode);
    expect(await keycodeField.getAttribute('readonly')).not.toBeNull();
    await page.getByRole('button', { name: 'キーコードをコピー' }).waitFor();
    const seatsField = page.getByRole('textbox', { name: 'サイトのシート数' });
    expect(await seatsField.inputValue()).toBe('購入済み 5 台中 0 台使用中 (残り 5 台)');
    expect(await seatsField.getAttribute('readonly')).not.toBeNull();

    // The default endpoint policy: Recommended Defaults until a site chooses.
    const policy = page.getByRole('combobox', { name: 'デフォルトのエンドポイント ポリシー' });
    expect(await policy.inputValue()).toBe('推奨デフォルト設定');
    await policy.click();
    await page.getByRole('option', { name: '推奨サーバーデフォルト設定' }).click();

    // A recipient that is not an e-mail address is refused next to the list.
    const recipients = page.getByRole('combobox', { name: 'レポートの配信先リスト' });
    await recipients.fill('not-an-email');
    await recipients.press('Enter');
    await page
      .getByRole('region', { name: 'HQ' })
      .getByRole('button', { name: '変更を保存' })
      .click();
    const problem = page.getByText('not-an-email: 有効なメールアドレスではありません。');
    await problem.waitFor();
    expect(await recipients.getAttribute('aria-invalid')).toBe('true');
    expect(await recipients.getAttribute('aria-describedby')).toContain(
      await problem.getAttribute('id'),
    );

    await recipients.press('Backspace');
    for (const address of ['report@example.jp', 'soc@example.jp']) {
      await recipients.fill(address);
      await recipients.press('Enter');
    }
    expect((await saveSection(page, 'HQ', /\/api\/v1\/sites\//)).status()).toBe(200);
    await page
      .getByText(
        'デフォルトのエンドポイント ポリシー: 推奨デフォルト設定 → 推奨サーバーデフォルト設定',
        { exact: false },
      )
      .waitFor();
    const site = await client.call<SiteReply>('GET', `/api/v1/sites/${siteId}`, { token });
    expect(site.body.defaultPolicyId).toBe(BUILTIN_POLICY_IDS.recommended_server_defaults);
    expect(site.body.reportRecipients).toEqual(['report@example.jp', 'soc@example.jp']);

    // The "not seen recently" threshold, a super admin's console setting.
    const threshold = page.getByRole('textbox', {
      name: '「最近確認されていません」までの時間 (時間)',
    });
    await threshold.fill('48');
    expect((await saveSection(page, 'コンソールの詳細', /\/api\/v1\/settings$/)).status()).toBe(
      200,
    );
    await page.getByText('→ 48', { exact: false }).waitFor();
    const settings = await client.call<{ console: { notSeenThresholdHours: number } }>(
      'GET',
      '/api/v1/settings',
      { token },
    );
    expect(settings.body.console.notSeenThresholdHours).toBe(48);

    await expectAccessible(page);
    await screenshot(page, 'settings');

    // The audit trail: events reach it a moment after the change.
    const actions = ['site.updated', 'console.settings-changed'];
    await trail.until(
      () => client.call<AuditPage>('GET', '/api/v1/audit-events?limit=200', { token }),
      (reply) => actions.every((action) => reply.body.items.some((i) => i.action === action)),
      'the settings changes in the audit trail',
    );
    await page.getByRole('navigation').getByRole('link', { name: '監査ログ' }).click();
    await page.getByRole('heading', { level: 1, name: '監査ログ' }).waitFor();
    const siteUpdated = page.locator('tr[data-action="site.updated"]').first();
    await siteUpdated.waitFor();
    await page.locator('tr[data-action="console.settings-changed"]').first().waitFor();

    // Its detail shows the change before → after.
    await siteUpdated.getByRole('button', { name: 'site.updated の詳細' }).click();
    const detail = page.getByRole('table', { name: '変更前と変更後' });
    await detail.getByRole('cell', { name: 'reportRecipients' }).waitFor();
    await detail.getByRole('cell', { name: 'report@example.jp, soc@example.jp' }).waitFor();
    // A policy reads as its name, not its id.
    await detail.getByRole('cell', { name: '推奨サーバーデフォルト設定', exact: true }).waitFor();
    // Only what changed: the site's unchanged fields are not listed.
    expect(await detail.getByRole('cell', { name: 'enforcement' }).count()).toBe(0);

    // The chain verifies intact.
    await page.getByRole('button', { name: 'チェーンを検証' }).click();
    await page.getByRole('status').getByText('改ざんなし').waitFor();

    await expectAccessible(page);
    await screenshot(page, 'audit-trail');

    // A filter narrows the list to one action.
    await page.getByRole('textbox', { name: '操作' }).fill('console.settings-changed');
    const filtered = page.waitForResponse((response) =>
      response.url().includes('action=console.settings-changed'),
    );
    await page.getByRole('button', { name: '絞り込む' }).click();
    expect((await filtered).status()).toBe(200);
    await siteUpdated.waitFor({ state: 'detached' });
    await page.locator('tr[data-action="console.settings-changed"]').first().waitFor();
    expect(
      await page.locator('tr[data-action]:not([data-action="console.settings-changed"])').count(),
    ).toBe(0);

    // The CSV export carries the same filter: a header line, then the rows.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'CSV をエクスポート' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^audit-events-.+\.csv$/);
    const csv = readFileSync(await download.path(), 'utf8');
    const [header, ...rows] = csv.split('\r\n').filter((line) => line !== '');
    expect(header).toMatch(/^"occurredAt",.*"action"/);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toContain('"console.settings-changed"');

    expectCleanConsole(page);
  });

  it('shows a view-only administrator the site read-only and no save', async () => {
    const { token, siteId, keycode } = await client.signedInConsole();
    const viewer = newAdministrator();
    const invited = await client.call('POST', '/api/v1/administrators', {
      token,
      headers: { 'idempotency-key': randomUUID() },
      body: { ...viewer, accountType: 'admin', siteAccess: { [siteId]: 'view_only' } },
    });
    expect(invited.status).toBe(201);
    await client.activate(viewer.email);

    const page = await signedInPage({ email: viewer.email, password: PASSWORD }, '/settings');
    await page.getByText('このサイトは閲覧のみです。変更するには管理者権限が必要です。').waitFor();
    await page.getByText('コンソールの設定を変更できるのはスーパー管理者だけです。').waitFor();
    expect(await page.getByRole('textbox', { name: 'キーコード' }).inputValue()).toBe(keycode);
    for (const name of ['サイト/会社名', 'コメント', 'コンソール名']) {
      expect(await page.getByRole('textbox', { name }).getAttribute('readonly')).not.toBeNull();
    }
    expect(await page.getByRole('button', { name: '変更を保存' }).count()).toBe(0);
    await expectAccessible(page);
    expectCleanConsole(page);
  });
});
