import type { Administrator, EndpointDetail, EnrollReply, Group } from '@warden/contracts';
import { randomUUID } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { PASSWORD } from '../console-client';
import { checkin, detection, enrolAll, type Fleet, openFleet } from '../endpoints-harness';
import { newAdministrator } from '../system-under-test';
import { browserStack, expectAccessible, expectCleanConsole, screenshot } from './browser-harness';

/*
 * DESIGN §3 journey 10 in a browser, in Japanese: the "all endpoints" table
 * of a fleet of 30 agents (3 infected) — status chips, sort, paging, search,
 * selection across pages — an endpoint's detail with its detections, and the
 * groups: create, rename, move endpoints in, change its policy, delete. A
 * view-only administrator sees the same without any action.
 */

const TOKEN = `endpoints-browser-operator-token-${randomUUID()}`;
const HOSTNAMES = Array.from({ length: 30 }, (_, i) => `pc-${String(i + 1).padStart(2, '0')}`);
const INFECTED = ['pc-05', 'pc-12', 'pc-27'];
const THREAT = 'Win32.Trojan-Test';
const SERVER_DEFAULTS = '推奨サーバーデフォルト設定';
const SILENT_AUDIT = 'サイレント監査';

describe('the endpoints screens', () => {
  const { client, signedInPage } = browserStack(TOKEN);
  const { call } = client;
  let fleet: Fleet;
  let enrolled: Map<string, EnrollReply>;

  beforeAll(async () => {
    fleet = await openFleet(client, TOKEN, 40);
    const replies = await enrolAll(
      call,
      fleet.keycode,
      HOSTNAMES.map((hostname) => ({ hostname })),
    );
    enrolled = new Map(HOSTNAMES.map((hostname, i) => [hostname, replies[i]!]));
    for (const hostname of INFECTED) {
      const device = enrolled.get(hostname)!;
      const reply = await checkin(call, device.deviceToken, {
        policyVersion: device.policyVersion,
        status: 'threats_active',
        detections: [detection({ threatName: THREAT, path: `C:\\Users\\${hostname}\\evil.exe` })],
      });
      expect(reply.status).toBe(200);
    }
  });

  const tablePath = () => `/endpoints?site=${fleet.siteId}`;
  const table = (page: Page) => page.getByRole('table', { name: '事業体' });
  const firstHostname = (page: Page) => table(page).locator('tbody tr').first().getByRole('link');
  /** The pager's line, e.g. `1ページ目・全30台`. */
  const pagerSays = (page: Page, text: string) => page.getByText(text, { exact: true }).waitFor();
  const groupsOfSite = async () =>
    (
      await call<{ items: Group[] }>('GET', `/api/v1/sites/${fleet.siteId}/groups`, {
        token: fleet.token,
      })
    ).body.items;
  /** Until the success notifications close by themselves: they would cover the page's top right. */
  const notificationsGone = (page: Page) =>
    page.getByRole('alert').last().waitFor({ state: 'detached' });
  /** Picks `option` in the Mantine Select labelled `label` (in `scope`, e.g. a dialog). */
  const choose = async (
    page: Page,
    label: string,
    option: string,
    scope: Page | Locator = page,
  ) => {
    // Mantine's Select is a combobox once searchable, a read-only textbox otherwise.
    await scope
      .getByRole('combobox', { name: label, exact: true })
      .or(scope.getByRole('textbox', { name: label, exact: true }))
      .click();
    await page.getByRole('option', { name: option, exact: true }).click();
  };

  it('filters by status, sorts, pages, searches and selects across pages', async () => {
    const page = await signedInPage(fleet.account, tablePath());
    await pagerSays(page, '1ページ目・全30台');
    expect(await firstHostname(page).textContent()).toBe('pc-01');
    // Seen just now: today's date reads `本日 (hh:mm)` (another day's `12月 2, 2026 (23:59)`).
    expect(await table(page).locator('tbody tr').first().textContent()).toMatch(
      /本日 \(\d\d:\d\d\)|\d+月 \d+, \d{4} \(\d\d:\d\d\)/,
    );
    await expectAccessible(page);
    await screenshot(page, 'endpoints-table');

    // The infected chip filters to the three, and "all" clears it.
    const chips = page.getByRole('group', { name: '状態で絞り込む' });
    await chips.getByText('感染 (3)').click();
    await pagerSays(page, '1ページ目・全3台');
    const shown = await table(page).getByRole('link').allTextContents();
    expect(shown).toEqual(INFECTED);
    await chips.getByText('すべて (30)').click();
    await pagerSays(page, '1ページ目・全30台');

    // By name, descending then ascending again, said by aria-sort.
    const nameHeader = page.getByRole('columnheader', { name: '名前' });
    await nameHeader.getByRole('button').click();
    await firstHostname(page).getByText('pc-30', { exact: true }).waitFor();
    expect(await nameHeader.getAttribute('aria-sort')).toBe('descending');
    await nameHeader.getByRole('button').click();
    await firstHostname(page).getByText('pc-01', { exact: true }).waitFor();
    expect(await nameHeader.getAttribute('aria-sort')).toBe('ascending');

    // 25 a page: forward to the last five, and back.
    await choose(page, '表示件数', '25');
    await table(page).locator('tbody tr').nth(25).waitFor({ state: 'detached' });
    await pagerSays(page, '1ページ目・全30台');
    expect(await table(page).locator('tbody tr').count()).toBe(25);
    await page.getByRole('button', { name: '次のページ' }).click();
    await pagerSays(page, '2ページ目・全30台');
    await firstHostname(page).getByText('pc-26', { exact: true }).waitFor();
    expect(await table(page).locator('tbody tr').count()).toBe(5);
    await page.getByRole('button', { name: '前のページ' }).click();
    await pagerSays(page, '1ページ目・全30台');
    await firstHostname(page).getByText('pc-01', { exact: true }).waitFor();

    // The page's rows, then every endpoint matching the filter, across pages.
    await page.getByRole('checkbox', { name: 'このページの事業体を選択' }).check();
    await page.getByText('25台を選択中').waitFor();
    await page.getByRole('button', { name: '条件に一致する30台すべてを選択' }).click();
    await page.getByText('条件に一致する30台すべてを選択中').waitFor();
    await page.getByRole('button', { name: '選択を解除' }).click();

    // A part of the hostname, without regard to case.
    await page.getByRole('textbox', { name: '名前で検索' }).fill('PC-1');
    await pagerSays(page, '1ページ目・全10台');
    expect(await table(page).getByRole('link').allTextContents()).toEqual(HOSTNAMES.slice(9, 19));
    expectCleanConsole(page);
  });

  it('creates, renames, fills, gives a policy to and deletes a group', async () => {
    const page = await signedInPage(fleet.account, `/groups?site=${fleet.siteId}`);
    const groups = page.getByRole('table', { name: 'グループ' });
    await groups.getByText('デフォルトグループ').waitFor();
    await groups.getByText('非アクティブ化済みデバイス').waitFor();

    await page.getByRole('button', { name: 'グループを作成' }).click();
    let dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: '名前' }).fill('営業部');
    await dialog.getByRole('button', { name: '保存' }).click();
    await groups.getByText('営業部', { exact: true }).waitFor();

    // The same name again: said under the name field.
    await page.getByRole('button', { name: 'グループを作成' }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: '名前' }).fill('営業部');
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.getByText('このサイトには同じ名前のグループがすでにあります。').waitFor();
    await expectAccessible(page);
    await dialog.getByRole('button', { name: 'キャンセル' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await page.getByRole('button', { name: '営業部 の名前を変更' }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: '名前' }).fill('営業部 東京');
    await dialog.getByRole('button', { name: '保存' }).click();
    await groups.getByText('営業部 東京', { exact: true }).waitFor();

    await page.getByRole('button', { name: '営業部 東京 のポリシーを変更' }).click();
    dialog = page.getByRole('dialog');
    await choose(page, 'ポリシー', SERVER_DEFAULTS, dialog);
    await dialog.getByRole('button', { name: '保存' }).click();
    await groups
      .getByRole('row', { name: /営業部 東京/ })
      .getByText(SERVER_DEFAULTS)
      .waitFor();
    const sales = (await groupsOfSite()).find((g) => g.name === '営業部 東京')!;
    expect(sales.policyId).not.toBeNull();
    // System groups: the default group can be renamed, not deleted; "Deactivated devices" neither.
    await page.getByRole('button', { name: 'デフォルトグループ の名前を変更' }).waitFor();
    expect(await page.getByRole('button', { name: 'デフォルトグループ を削除' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /非アクティブ化済みデバイス/ }).count()).toBe(0);
    await notificationsGone(page);
    await expectAccessible(page);
    await screenshot(page, 'endpoints-groups');

    // Every endpoint matching a search moves into it, from the table.
    await page.goto(tablePath());
    await page.getByRole('textbox', { name: '名前で検索' }).fill('pc-1');
    await pagerSays(page, '1ページ目・全10台');
    await page.getByRole('checkbox', { name: 'pc-10 を選択' }).check();
    await page.getByText('1台を選択中').waitFor();
    await page.getByRole('button', { name: '条件に一致する10台すべてを選択' }).click();
    await page.getByRole('button', { name: 'グループへ移動' }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByText('10台の事業体を移動します。').waitFor();
    await choose(page, '移動先のグループ', '営業部 東京', dialog);
    await dialog.getByRole('button', { name: '移動' }).click();
    await page.getByText('10台を移動しました。').waitFor();
    await table(page).getByRole('row', { name: /pc-10/ }).getByText('グループから').waitFor();
    expect(
      await table(page).getByRole('row', { name: /pc-10/ }).getByText(SERVER_DEFAULTS).count(),
    ).toBe(1);
    expect((await groupsOfSite()).find((g) => g.id === sales.id)!.endpointCount).toBe(10);

    // Deleted: its endpoints go back to the default group.
    await page.goto(`/groups?site=${fleet.siteId}`);
    await groups
      .getByRole('row', { name: /営業部 東京/ })
      .getByText('10')
      .waitFor();
    await page.getByRole('button', { name: '営業部 東京 を削除' }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByText('このグループの10台の事業体はデフォルトグループに戻ります。').waitFor();
    await expectAccessible(page);
    await dialog.getByRole('button', { name: '削除' }).click();
    await groups.getByText('営業部 東京', { exact: true }).waitFor({ state: 'detached' });
    const after = await groupsOfSite();
    expect(after.find((g) => g.id === sales.id)).toBeUndefined();
    expect(after.find((g) => g.system === 'default')!.endpointCount).toBe(30);
    expectCleanConsole(page);
  });

  it('changes an endpoint’s policy from the table and from its detail, which shows its detections', async () => {
    const page = await signedInPage(fleet.account, tablePath());
    const search = page.getByRole('textbox', { name: '名前で検索' });
    await search.fill('pc-06');
    await pagerSays(page, '1ページ目・全1台');
    await page.getByRole('button', { name: 'pc-06 のポリシーを変更' }).click();
    await choose(page, 'ポリシー', SILENT_AUDIT, page.getByRole('dialog'));
    await page.getByRole('dialog').getByRole('button', { name: '保存' }).click();
    const row = table(page).getByRole('row', { name: /pc-06/ });
    await row.getByText('個別設定').waitFor();
    expect(await row.getByText(SILENT_AUDIT).count()).toBe(1);

    await search.fill('pc-05');
    await pagerSays(page, '1ページ目・全1台');
    await table(page).getByRole('link', { name: 'pc-05' }).click();
    await page.getByRole('heading', { level: 1, name: 'pc-05' }).waitFor();
    const detections = page.getByRole('table', { name: '検出された脅威' });
    await detections.getByText(THREAT).waitFor();
    expect(await detections.textContent()).toContain('C:\\Users\\pc-05\\evil.exe');
    await page.getByText('感染', { exact: true }).first().waitFor();
    await expectAccessible(page);
    await screenshot(page, 'endpoints-detail');

    await page.getByRole('button', { name: 'ポリシーを変更' }).click();
    const dialog = page.getByRole('dialog');
    await choose(page, 'ポリシー', SERVER_DEFAULTS, dialog);
    await expectAccessible(page);
    await dialog.getByRole('button', { name: '保存' }).click();
    await page.getByText('個別設定').waitFor();
    const id = enrolled.get('pc-05')!.deviceId;
    const detail = await call<EndpointDetail>('GET', `/api/v1/endpoints/${id}`, {
      token: fleet.token,
    });
    expect(detail.body.policy.source).toBe('endpoint');
    expect(detail.body.ownPolicyId).toBe(detail.body.policy.policyId);
    expectCleanConsole(page);
  });

  it('shows a view-only administrator the endpoints and groups without any action', async () => {
    const viewer = newAdministrator();
    const added = await call<Administrator>('POST', '/api/v1/administrators', {
      token: fleet.token,
      headers: { 'idempotency-key': randomUUID() },
      body: { ...viewer, accountType: 'admin', siteAccess: { [fleet.siteId]: 'view_only' } },
    });
    expect(added.status).toBe(201);
    await client.activate(viewer.email);
    const account = { email: viewer.email, password: PASSWORD };

    const page = await signedInPage(account, tablePath());
    await pagerSays(page, '1ページ目・全30台');
    expect(await table(page).getByRole('checkbox').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'グループへ移動' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /のポリシーを変更/ }).count()).toBe(0);

    await table(page).getByRole('link', { name: 'pc-12' }).click();
    await page.getByRole('table', { name: '検出された脅威' }).getByText(THREAT).waitFor();
    expect(await page.getByRole('button', { name: 'ポリシーを変更' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'グループを変更' }).count()).toBe(0);

    await page.goto(`/groups?site=${fleet.siteId}`);
    await page.getByRole('table', { name: 'グループ' }).getByText('デフォルトグループ').waitFor();
    expect(await page.getByRole('button', { name: 'グループを作成' }).count()).toBe(0);
    expect(
      await page.getByRole('button', { name: /の名前を変更|を削除|のポリシーを変更/ }).count(),
    ).toBe(0);
    expectCleanConsole(page);
  });
});
