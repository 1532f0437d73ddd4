import { BUILTIN_POLICY_IDS, type ConsoleDetail, type PolicyDetail } from '@warden/contracts';
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { PASSWORD } from '../console-client';
import { newAdministrator } from '../system-under-test';
import { browserStack, expectAccessible, expectCleanConsole, screenshot } from './browser-harness';

/*
 * Journeys 6 and 7 in the browser, in Japanese (issue 13, screen 4): the
 * policies list with the built-ins first, copying one, editing the copy's
 * settings in the editor generated from the catalog, a save from a stale
 * page, the diff against the built-in, and deleting a copy in use.
 */

const TOKEN = `policies-browser-operator-token-${process.pid}`;
const RECOMMENDED = BUILTIN_POLICY_IDS.recommended_defaults;

describe('the policies screens', () => {
  const { client, signedInPage } = browserStack(TOKEN);
  const { call } = client;

  const copyThroughApi = async (token: string, name: string) => {
    const copied = await call<PolicyDetail>('POST', '/api/v1/policies', {
      token,
      headers: { 'idempotency-key': randomUUID() },
      body: { sourcePolicyId: RECOMMENDED, name, description: `${name}の設定` },
    });
    expect(copied.status).toBe(201);
    return copied.body;
  };
  const readPolicy = async (token: string, policyId: string) =>
    (await call<PolicyDetail>('GET', `/api/v1/policies/${policyId}`, { token })).body;
  const rowNames = async (page: Page) =>
    page
      .getByRole('table', { name: 'ポリシー' })
      .locator('tbody tr td:first-child')
      .allTextContents();
  const saved = (page: Page) =>
    page.waitForResponse(
      (r) => r.request().method() === 'PATCH' && r.url().includes('/api/v1/policies/'),
    );

  it('lists the built-ins first, copies 推奨デフォルト設定 (a name taken is refused by the name), and edits the copy', async () => {
    const { account, token } = await client.signedInConsole();
    await copyThroughApi(token, '経理部');
    const page = await signedInPage(account, '/policies');

    await page.getByRole('heading', { level: 1, name: 'ポリシー' }).waitFor();
    await page.getByRole('link', { name: '経理部' }).waitFor();
    const names = await rowNames(page);
    expect(names.slice(0, 2)).toEqual([
      '推奨デフォルト設定組み込み',
      '推奨サーバーデフォルト設定組み込み',
    ]);
    expect(names.findIndex((n) => n.includes('経理部'))).toBe(names.length - 1);
    expect(names.filter((n) => n.endsWith('組み込み'))).toHaveLength(names.length - 1);
    await expectAccessible(page);
    await screenshot(page, 'policies-list');

    await page.getByRole('button', { name: 'コピー: 推奨デフォルト設定' }).click();
    const dialog = page.getByRole('dialog', { name: 'コピーするポリシー' });
    await dialog.getByLabel('名前').fill('経理部');
    await dialog.getByLabel('説明').fill('営業部のノートPC向けの設定');
    await dialog.getByRole('button', { name: 'コピー' }).click();
    await dialog.getByText('この名前のポリシーはすでに存在します。').waitFor();
    expect(await dialog.getByLabel('名前').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page);

    await dialog.getByLabel('名前').fill('営業部のノートPC');
    await dialog.getByRole('button', { name: 'コピー' }).click();
    await page.getByRole('heading', { level: 1, name: '営業部のノートPC' }).waitFor();
    const policyId = /\/policies\/([^/]+)$/.exec(page.url())?.[1] ?? '';
    expect((await readPolicy(token, policyId)).version).toBe(1);

    // A switch, an enum, and an integer refused out of range before it is accepted.
    await page
      .getByRole('switch', { name: 'システムトレイ アイコン' })
      .setChecked(false, { force: true });
    await page.getByRole('combobox', { name: 'ポーリング間隔' }).click();
    await page.getByRole('option', { name: '1時間' }).click();
    await page.getByRole('button', { name: 'スキャンのスケジュール' }).click();
    const hour = page.getByRole('textbox', { name: '時刻（時）' });
    await hour.fill('30');
    let patches = 0;
    page.on('request', (request) => {
      if (request.method() === 'PATCH') patches += 1;
    });
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('0〜23 の整数を入力してください。').waitFor();
    expect(patches).toBe(0);

    await hour.fill('3');
    const [first] = await Promise.all([
      saved(page),
      page.getByRole('button', { name: '保存' }).click(),
    ]);
    expect(first.status()).toBe(200);
    const afterSave = await readPolicy(token, policyId);
    expect(afterSave.version).toBe(2);
    expect(afterSave.settings.basic).toMatchObject({ tray_icon: false, poll_interval: '1h' });
    expect(afterSave.settings.scan_schedule.hour).toBe(3);
    await expectAccessible(page);
    await screenshot(page, 'policies-editor');

    // Someone else saves meanwhile: this page's next save is refused, its values kept until reload.
    const elsewhere = await call('PATCH', `/api/v1/policies/${policyId}`, {
      token,
      headers: { 'if-match': '"2"' },
      body: { description: 'ほかの管理者が変更しました' },
    });
    expect(elsewhere.status).toBe(200);
    const shortcut = page.getByRole('switch', { name: 'デスクトップ ショートカット' });
    await shortcut.setChecked(false, { force: true });
    const [stale] = await Promise.all([
      saved(page),
      page.getByRole('button', { name: '保存' }).click(),
    ]);
    expect(stale.status()).toBe(412);
    await page.getByText('ほかの人が先に保存しました').waitFor();
    expect(await shortcut.isChecked()).toBe(false);
    await expectAccessible(page);

    await page.getByRole('button', { name: '再読み込み' }).click();
    await page.getByText('ほかの人が先に保存しました').waitFor({ state: 'detached' });
    expect(await page.getByLabel('説明').inputValue()).toBe('ほかの管理者が変更しました');
    expect(await shortcut.isChecked()).toBe(true);
    expect((await readPolicy(token, policyId)).settings.basic.desktop_shortcut).toBe(true);
    expectCleanConsole(page);
  });

  it('shows the settings in which a copy differs from the built-in, labelled', async () => {
    const { account, token } = await client.signedInConsole();
    const copy = await copyThroughApi(token, '開発部');
    const edited = await call('PATCH', `/api/v1/policies/${copy.id}`, {
      token,
      headers: { 'if-match': '"1"' },
      body: { settings: { basic: { tray_icon: false, poll_interval: '1h' } } },
    });
    expect(edited.status).toBe(200);
    const page = await signedInPage(account, '/policies');

    await page.getByRole('combobox', { name: '比較するポリシー' }).click();
    await page.getByRole('option', { name: '開発部' }).click();
    await page.getByRole('combobox', { name: '比較対象のポリシー' }).click();
    await page.getByRole('option', { name: '推奨デフォルト設定', exact: true }).click();
    const diff = page.getByRole('table', { name: 'ポリシーの比較' });
    await diff.waitFor();
    const rows = await Promise.all(
      (await diff.locator('tbody tr').all()).map((row) => row.locator('td').allTextContents()),
    );
    expect(rows).toEqual([
      ['基本設定', 'システムトレイ アイコン', 'オフ', 'オン'],
      ['基本設定', 'ポーリング間隔', '1時間', '15分'],
    ]);
    expect(await diff.locator('thead th').allTextContents()).toEqual([
      'セクション',
      '設定',
      '開発部',
      '推奨デフォルト設定',
    ]);
    await expectAccessible(page);
    await screenshot(page, 'policies-diff');
    expectCleanConsole(page);
  });

  it('shows where a copy is used, and deletes it once its users moved to a replacement', async () => {
    const { account, token, siteId } = await client.signedInConsole();
    const copy = await copyThroughApi(token, '退役するポリシー');
    const defaulted = await call('PATCH', `/api/v1/sites/${siteId}`, {
      token,
      body: { defaultPolicyId: copy.id },
    });
    expect(defaulted.status).toBe(200);
    const settings = await call<ConsoleDetail>('GET', '/api/v1/settings', { token });
    const siteName = settings.body.sites[0]!.name;
    const page = await signedInPage(account, `/policies/${copy.id}`);

    const usage = page.getByRole('region', { name: '使用状況' });
    await usage.getByText(`サイト「${siteName}」のデフォルトのエンドポイント ポリシー`).waitFor();

    await page.getByRole('link', { name: '戻る' }).click();
    await page.getByRole('button', { name: '削除: 退役するポリシー' }).click();
    const dialog = page.getByRole('dialog', { name: 'ポリシーを削除' });
    await dialog.getByText(`サイト「${siteName}」のデフォルトのエンドポイント ポリシー`).waitFor();
    await dialog.getByRole('button', { name: '削除' }).click();
    await dialog.getByText('必須です。').waitFor();
    await expectAccessible(page);

    await dialog.getByRole('combobox', { name: '置き換えるポリシー' }).click();
    await page.getByRole('option', { name: '推奨サーバーデフォルト設定' }).click();
    await dialog.getByRole('button', { name: '削除' }).click();
    await page.getByRole('link', { name: '退役するポリシー' }).waitFor({ state: 'detached' });

    const site = await call<{ defaultPolicyId: string | null }>('GET', `/api/v1/sites/${siteId}`, {
      token,
    });
    expect(site.body.defaultPolicyId).toBe(BUILTIN_POLICY_IDS.recommended_server_defaults);
    expect((await call('GET', `/api/v1/policies/${copy.id}`, { token })).status).toBe(404);
    expectCleanConsole(page);
  });

  it('shows a view-only administrator the policies without copy, delete or save', async () => {
    const { token, siteId } = await client.signedInConsole();
    await copyThroughApi(token, '閲覧用');
    const viewer = newAdministrator();
    const added = await call('POST', '/api/v1/administrators', {
      token,
      headers: { 'idempotency-key': randomUUID() },
      body: { ...viewer, accountType: 'admin', siteAccess: { [siteId]: 'view_only' } },
    });
    expect(added.status).toBe(201);
    await client.activate(viewer.email);
    const page = await signedInPage({ email: viewer.email, password: PASSWORD }, '/policies');

    await page.getByRole('link', { name: '閲覧用' }).waitFor();
    expect(await page.getByRole('button', { name: /^(コピー|削除):/ }).count()).toBe(0);

    await page.getByRole('link', { name: '閲覧用' }).click();
    await page.getByText('このポリシーは表示のみです。').waitFor();
    expect(await page.getByLabel('名前').isDisabled()).toBe(true);
    expect(await page.getByRole('switch', { name: 'システムトレイ アイコン' }).isDisabled()).toBe(
      true,
    );
    expect(await page.getByRole('button', { name: '保存' }).count()).toBe(0);
    expectCleanConsole(page);
  });

  it('shows a built-in read-only, with a copy of it a click away', async () => {
    const { account } = await client.signedInConsole();
    const page = await signedInPage(account, `/policies/${RECOMMENDED}`);

    await page.getByRole('heading', { level: 1, name: '推奨デフォルト設定' }).waitFor();
    await page
      .getByText('組み込みのポリシーは変更できません。コピーしてから変更してください。')
      .waitFor();
    expect(await page.getByRole('switch', { name: 'システムトレイ アイコン' }).isDisabled()).toBe(
      true,
    );
    expect(await page.getByRole('combobox', { name: 'ポーリング間隔' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: '保存' }).count()).toBe(0);
    await expectAccessible(page);

    await page.getByRole('button', { name: 'コピー' }).click();
    const dialog = page.getByRole('dialog', { name: 'コピーするポリシー' });
    await dialog.getByText('コピー元: 推奨デフォルト設定').waitFor();
    await expectAccessible(page);
    await dialog.getByLabel('名前').fill('在宅勤務');
    await dialog.getByLabel('説明').fill('在宅勤務のPC向け');
    await dialog.getByRole('button', { name: 'コピー' }).click();
    await page.getByRole('heading', { level: 1, name: '在宅勤務' }).waitFor();
    expect(await page.getByRole('switch', { name: 'システムトレイ アイコン' }).isDisabled()).toBe(
      false,
    );
    expectCleanConsole(page);
  });
});
