import {
  type CheckinReply,
  type EndpointPage,
  type EnrollReply,
  issuableKeycodeFromBody,
  KEYCODE_ISSUE_ALPHABET,
} from '@warden/contracts';
import type { Locator, Page } from 'playwright-core';
import { randomBytes, randomUUID } from 'node:crypto';
import { ack, issue } from '../commands-harness';
import { PASSWORD } from '../console-client';
import { checkin, enrol, type Fleet, openFleet } from '../endpoints-harness';
import { newAdministrator } from '../system-under-test';
import { browserStack, expectAccessible, expectCleanConsole, screenshot } from './browser-harness';

/*
 * Issue 13, DESIGN §3 journeys 11, 13 and 14 in the browser, in Japanese:
 * an administrator sends agent commands from an endpoint's page, confirms
 * the count (and, for a deactivation, the billing warning) and watches the
 * progress while the agent (API calls here) checks in and acknowledges.
 */

const TOKEN = `browser-commands-operator-${process.pid}`;

/** A keycode with a valid check character that no site was given. */
function unknownKeycode(): string {
  for (;;) {
    const body = Array.from(
      randomBytes(19),
      (byte) => KEYCODE_ISSUE_ALPHABET[byte % KEYCODE_ISSUE_ALPHABET.length],
    ).join('');
    const keycode = issuableKeycodeFromBody(body);
    if (keycode) return keycode;
  }
}

describe('agent commands in the web console', () => {
  const { client, signedInPage } = browserStack(TOKEN);
  const { call } = client;
  let fleet: Fleet;

  beforeAll(async () => {
    fleet = await openFleet(client, TOKEN, 10);
  });

  const endpointPage = async (agent: EnrollReply, hostname: string) => {
    const page = await signedInPage(fleet.account, `/endpoints/${agent.deviceId}`);
    await page.getByRole('heading', { level: 1, name: hostname }).waitFor();
    return page;
  };

  const chooseCommand = async (page: Page, command: string) => {
    await page.getByRole('button', { name: 'エージェントコマンド' }).click();
    await page.getByRole('menuitem', { name: command }).click();
    await page.getByRole('menu').waitFor({ state: 'detached' });
    return page.getByRole('dialog', { name: command });
  };

  const progressPanel = (page: Page) => page.getByRole('region', { name: /コマンドの進行状況/ });
  const stateIn = (panel: Locator, state: string) => panel.locator(`[data-state="${state}"]`);

  /** The agent's next check-in: the ids of the commands it carries. */
  const commandsOnCheckin = async (deviceToken: string) => {
    const reply = await checkin(call, deviceToken);
    expect(reply.status).toBe(200);
    return (reply.body as CheckinReply).commands;
  };

  it('journey 11: deactivates a device after a confirmation that warns about billing, and shows the progress until the agent acknowledges', async () => {
    const agent = await enrol(call, fleet.keycode, { hostname: 'sales-pc-01' });
    const page = await endpointPage(agent, 'sales-pc-01');

    const dialog = await chooseCommand(page, 'デバイスを非アクティブ化');
    await dialog.getByText('1 台のエンドポイントにコマンドを送信します。').waitFor();
    await dialog
      .getByText(
        'ソフトウェアが実際に削除されたことが確認されるまで、このエンドポイントは課金の対象となります。',
      )
      .waitFor();
    await expectAccessible(page);
    await screenshot(page, 'commands-confirm-deactivate');

    const issued = page.waitForResponse(
      (r) => r.url().endsWith('/api/v1/commands') && r.request().method() === 'POST',
    );
    await dialog.getByRole('button', { name: 'コマンドの送信' }).click();
    expect((await issued).status()).toBe(202);
    const panel = progressPanel(page);
    await stateIn(panel, 'pending').waitFor();
    expect(await panel.getByRole('heading').textContent()).toBe(
      'コマンドの進行状況: デバイスを非アクティブ化',
    );
    expect(await panel.textContent()).toContain('1 台中 0 台が完了');
    await expectAccessible(page);
    await screenshot(page, 'commands-progress');

    const [command] = await commandsOnCheckin(agent.deviceToken);
    expect(command).toMatchObject({ type: 'deactivate' });
    expect(
      (await ack(call, agent.deviceToken, command!.id, 'succeeded', 'uninstalled')).status,
    ).toBe(200);

    await stateIn(panel, 'succeeded').waitFor();
    await panel.getByText('すべてのコマンドが完了しました。').waitFor();
    expect(await panel.textContent()).toContain('1 台中 1 台が完了');
    const history = page.locator(`[data-command-id="${command!.id}"]`);
    await history.getByText('成功').waitFor();
    expect(await history.textContent()).toContain('uninstalled');
    expectCleanConsole(page);
  });

  it('journey 13: moves a device to another console’s site with its keycode, checked before sending', async () => {
    const target = await client.signedInConsole();
    const hardwareKey = `hw-moving-${process.pid}`;
    const agent = await enrol(call, fleet.keycode, { hostname: 'moving-pc', hardwareKey });
    const page = await endpointPage(agent, 'moving-pc');

    const form = await chooseCommand(page, 'キーコードを変更');
    const keycode = form.getByRole('textbox', { name: '移動先のキーコード' });
    await keycode.fill('ABCD-1234');
    await form.getByRole('button', { name: '次へ' }).click();
    await form.getByText('キーコードは英数字20文字です(XXXX-XXXX-XXXX-XXXX-XXXX)。').waitFor();
    // Well formed, but no site has it: licensing's answer, next to the form.
    await keycode.fill(unknownKeycode());
    await form.getByRole('button', { name: '次へ' }).click();
    await form
      .getByRole('alert')
      .getByText('このキーコードは無効です。入力ミスがないか確認してください。')
      .waitFor();
    await keycode.fill(target.keycode.toLowerCase());
    await form.getByRole('button', { name: '次へ' }).click();

    const dialog = page.getByRole('dialog', { name: 'キーコードを変更' });
    await dialog.getByText(`移動先のキーコード: ${target.keycode}`).waitFor();
    await dialog.getByText('1 台のエンドポイントにコマンドを送信します。').waitFor();
    await expectAccessible(page);
    await dialog.getByRole('button', { name: 'コマンドの送信' }).click();
    const panel = progressPanel(page);
    await stateIn(panel, 'pending').waitFor();

    // The agent receives the keycode, enrols into the target site itself and acknowledges.
    const [command] = await commandsOnCheckin(agent.deviceToken);
    expect(command).toMatchObject({
      type: 'change_keycode',
      parameters: { keycode: target.keycode },
    });
    const moved = await enrol(call, target.keycode, { hostname: 'moving-pc', hardwareKey });
    await ack(
      call,
      agent.deviceToken,
      command!.id,
      'succeeded',
      `enrolled as device ${moved.deviceId}`,
    );

    await stateIn(panel, 'succeeded').waitFor();
    const inTarget = await call<EndpointPage>('GET', `/api/v1/endpoints?siteId=${target.siteId}`, {
      token: target.token,
    });
    expect(inTarget.body.items.map((e) => e.hostname)).toEqual(['moving-pc']);
    expectCleanConsole(page);
  });

  it('journey 14: refreshes an agent’s configuration; a scan not yet received is cancelled from the history', async () => {
    const agent = await enrol(call, fleet.keycode, { hostname: 'refresh-pc' });
    const page = await endpointPage(agent, 'refresh-pc');

    const refresh = await chooseCommand(page, '設定のリフレッシュ');
    await refresh.getByText('1 台のエンドポイントにコマンドを送信します。').waitFor();
    expect(await refresh.textContent()).not.toContain('課金');
    await refresh.getByRole('button', { name: 'コマンドの送信' }).click();
    const panel = progressPanel(page);
    await stateIn(panel, 'pending').waitFor();
    const [refreshCommand] = await commandsOnCheckin(agent.deviceToken);
    expect(refreshCommand).toMatchObject({ type: 'refresh_config' });
    await ack(call, agent.deviceToken, refreshCommand!.id, 'succeeded', 'policy applied');
    await stateIn(panel, 'succeeded').waitFor();
    await panel.getByRole('button', { name: '閉じる' }).click();

    const scanForm = await chooseCommand(page, 'スキャン');
    await scanForm.getByRole('radio', { name: 'フルスキャン' }).check();
    await scanForm.getByRole('button', { name: '次へ' }).click();
    const scan = page.getByRole('dialog', { name: 'スキャン' });
    await scan.getByRole('button', { name: 'コマンドの送信' }).click();
    await stateIn(progressPanel(page), 'pending').waitFor();

    await page.getByRole('button', { name: 'スキャン をキャンセル' }).click();
    const confirm = page.getByRole('dialog', { name: 'コマンドをキャンセル' });
    await confirm
      .getByText('refresh-pc への「スキャン」はまだ配信されていません。', { exact: false })
      .waitFor();
    await expectAccessible(page);
    await confirm.getByRole('button', { name: 'コマンドをキャンセル' }).click();
    await page.getByRole('table').getByText('キャンセル済み').waitFor();
    await stateIn(progressPanel(page), 'cancelled').waitFor();

    const history = await call<{ items: { type: string; state: string; parameters: object }[] }>(
      'GET',
      `/api/v1/endpoints/${agent.deviceId}/commands`,
      { token: fleet.token },
    );
    expect(history.body.items.map((c) => [c.type, c.state, c.parameters])).toEqual([
      ['scan', 'cancelled', { kind: 'full' }],
      ['refresh_config', 'succeeded', {}],
    ]);
    expect(await commandsOnCheckin(agent.deviceToken)).toEqual([]);
    expectCleanConsole(page);
  });

  it('shows a view-only administrator the history but no command to send or cancel', async () => {
    const agent = await enrol(call, fleet.keycode, { hostname: 'view-only-pc' });
    const pending = await issue(call, fleet.token, agent.deviceId, { type: 'restart' });
    const viewer = newAdministrator();
    const added = await call('POST', '/api/v1/administrators', {
      token: fleet.token,
      headers: { 'idempotency-key': randomUUID() },
      body: { ...viewer, accountType: 'admin', siteAccess: { [fleet.siteId]: 'view_only' } },
    });
    expect(added.status).toBe(201);
    await client.activate(viewer.email);

    const page = await signedInPage(
      { email: viewer.email, password: PASSWORD },
      `/endpoints/${agent.deviceId}`,
    );
    const row = page.locator(`[data-command-id="${pending.id}"]`);
    await row.getByText('保留中').waitFor();

    expect(await page.getByRole('button', { name: 'エージェントコマンド' }).count()).toBe(0);
    expect(await row.getByRole('button').count()).toBe(0);
    await expectAccessible(page);
    expectCleanConsole(page);
  });
});
