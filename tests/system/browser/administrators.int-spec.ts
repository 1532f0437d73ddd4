import type { Administrator } from '@warden/contracts';
import type { Page } from 'playwright-core';
import { PASSWORD } from '../console-client';
import { newAdministrator } from '../system-under-test';
import { browserStack, expectAccessible, expectCleanConsole, screenshot } from './browser-harness';

/*
 * The administrators screens (issue 13 screen 6; DESIGN §3 journey 12) in
 * Japanese: a super admin invites an administrator through the wizard,
 * resends the invitation, edits their site permissions, disables, enables
 * and deletes them; nobody is offered to remove themselves, and an
 * administrator who is not a super admin does not see the screen.
 */

const TOKEN = `administrators-browser-operator-token-${process.pid}`;

/** The details step of the invite wizard. */
async function fillDetails(
  page: Page,
  invitee: { email: string; lastName: string; firstName: string },
): Promise<void> {
  await page.getByRole('textbox', { name: /^電子メール/ }).fill(invitee.email);
  await page.getByRole('textbox', { name: /^姓/ }).fill(invitee.lastName);
  await page.getByRole('textbox', { name: /^名/ }).fill(invitee.firstName);
}

/** The confirmation dialog open on the page: confirms with its `action` button. */
async function confirmIn(page: Page, action: string): Promise<void> {
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: action, exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
}

describe('the administrators screens', () => {
  const { client, signedInPage, system } = browserStack(TOKEN);

  it('invite through the wizard, resend, edit permissions, disable, enable and delete, in Japanese', async () => {
    const owner = await client.register();
    const { accessToken: token } = await client.signIn(owner);
    const administrator = (id: string) =>
      client.call<Administrator>('GET', `/api/v1/administrators/${id}`, { token });

    const page = await signedInPage(owner, '/administrators');
    await page.getByRole('heading', { level: 1, name: '管理者' }).waitFor();
    const ownRow = page.getByRole('row').filter({ hasText: owner.email });
    await ownRow.getByText('スーパー管理者').waitFor();
    await expectAccessible(page);

    // Nobody is offered to disable or delete themselves, so neither the last super admin…
    await ownRow.getByRole('button', { name: /の操作$/ }).click();
    await page.getByRole('menuitem', { name: '編集' }).waitFor();
    expect(await page.getByRole('menuitem', { name: '無効にする' }).count()).toBe(0);
    expect(await page.getByRole('menuitem', { name: '削除' }).count()).toBe(0);
    await page.keyboard.press('Escape');
    // …which the API refuses too.
    const refused = await client.call('DELETE', `/api/v1/administrators/${owner.administratorId}`, {
      token,
    });
    expect(['CANNOT_CHANGE_SELF', 'LAST_SUPER_ADMIN']).toContain(refused.body.error?.code);

    // The wizard: details → site permissions → review, first with an address already taken.
    await page.getByRole('link', { name: '管理者を追加' }).click();
    await page.getByRole('heading', { level: 1, name: '管理者を追加' }).waitFor();
    const invitee = newAdministrator({ firstName: '健二', lastName: '佐藤' });
    await fillDetails(page, { ...invitee, email: owner.email });
    await expectAccessible(page);
    await page.getByRole('button', { name: '次へ' }).click();

    const hq = page.getByRole('radiogroup', { name: 'HQ' });
    await hq.waitFor();
    expect(await hq.getByRole('radio', { name: 'アクセスなし' }).isChecked()).toBe(true);
    await hq.getByRole('radio', { name: '閲覧のみ' }).check();
    await expectAccessible(page);
    await page.getByRole('button', { name: '次へ' }).click();

    await page.getByText('HQ: 閲覧のみ').waitFor();
    await expectAccessible(page);
    await page.getByRole('button', { name: '保存' }).click();

    // Refused: back on the details step, the message under the e-mail field.
    const email = page.getByRole('textbox', { name: /^電子メール/ });
    await page.getByText('このメールアドレスの管理者はすでに存在します。').waitFor();
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await email.getAttribute('aria-describedby')) ?? '';
    const errorText = await page
      .locator(
        describedBy
          .split(' ')
          .map((id) => `[id="${id}"]`)
          .join(','),
      )
      .allTextContents();
    expect(errorText.join(' ')).toContain('このメールアドレスの管理者はすでに存在します。');

    await email.fill(invitee.email);
    await screenshot(page, 'administrators-invite');
    await page.getByRole('button', { name: '次へ' }).click();
    expect(await hq.getByRole('radio', { name: '閲覧のみ' }).isChecked()).toBe(true);
    await page.getByRole('button', { name: '次へ' }).click();
    const added = page.waitForResponse(
      (r) => r.url().endsWith('/api/v1/administrators') && r.request().method() === 'POST',
    );
    await page.getByRole('button', { name: '保存' }).click();
    const invited = (await (await added).json()) as Administrator;
    expect(invited).toMatchObject({
      email: invitee.email,
      accountType: 'admin',
      state: 'invited',
      siteAccess: { [Object.keys(invited.siteAccess)[0]!]: 'view_only' },
    });

    // Back on the list: invited, with the pending warning and its resend button.
    await page.getByText(`招待の電子メールを${invitee.email}に送信しました。`).waitFor();
    const row = page.getByRole('row').filter({ hasText: invitee.email });
    await row.getByText('招待中').waitFor();
    const pending = page.getByTestId('pending-invitation').filter({ hasText: invitee.email });
    await pending.getByText('佐藤 健二さんの登録が完了していません').waitFor();
    await expectAccessible(page);
    await screenshot(page, 'administrators-list');

    const mailsBefore = system.smtp().messages.length;
    await pending.getByRole('button', { name: '確認の電子メールを再送信' }).click();
    await page.getByText(`確認の電子メールを${invitee.email}に再送信しました。`).waitFor();
    const resent = await client.activationMail(invitee.email, mailsBefore);
    expect(resent.token).toEqual(expect.any(String));

    // Edit: the permission on HQ becomes admin.
    await row.getByRole('link', { name: '佐藤 健二' }).click();
    await page.getByRole('heading', { level: 1, name: '佐藤 健二' }).waitFor();
    await expectAccessible(page);
    await page
      .getByRole('radiogroup', { name: 'HQ' })
      .getByRole('radio', { name: '管理者', exact: true })
      .check();
    const patched = page.waitForResponse((r) => r.request().method() === 'PATCH');
    await page.getByRole('button', { name: '変更を保存' }).click();
    expect((await patched).status()).toBe(200);
    await page.getByText('佐藤 健二さんの変更を保存しました。').waitFor();
    expect(Object.values((await administrator(invited.id)).body.siteAccess)).toEqual(['admin']);

    // Disable (asked first), enable, delete (asked first).
    await page.getByRole('button', { name: '無効にする' }).click();
    await page.getByRole('dialog').getByText('佐藤 健二さんはログインできなくなり').waitFor();
    await expectAccessible(page);
    await confirmIn(page, '無効にする');
    await page.getByText('無効化済み').waitFor();
    expect((await administrator(invited.id)).body.state).toBe('disabled');

    await page.getByRole('button', { name: '有効にする' }).click();
    await confirmIn(page, '有効にする');
    await page.getByRole('button', { name: '無効にする' }).waitFor();
    expect((await administrator(invited.id)).body.state).toBe('invited');

    await page.getByRole('button', { name: '削除' }).click();
    await page.getByRole('dialog').waitFor();
    await expectAccessible(page);
    await confirmIn(page, '削除');
    await page.getByRole('heading', { level: 1, name: '管理者' }).waitFor();
    await page.getByText('佐藤 健二さんを削除しました。').waitFor();
    expect((await administrator(invited.id)).status).toBe(404);
    expect(await page.getByRole('row').filter({ hasText: invitee.email }).count()).toBe(0);
    expectCleanConsole(page);
  });

  it('shows the provider’s support account with its badge, and offers no disable or delete for it', async () => {
    const owner = await client.register();
    const support = newAdministrator({ firstName: 'Support', lastName: 'Provider' });
    const added = await client.call<Administrator>(
      'POST',
      `/ops/v1/consoles/${owner.consoleId}/administrators`,
      { token: TOKEN, headers: { 'idempotency-key': crypto.randomUUID() }, body: support },
    );
    expect(added.status).toBe(201);

    const page = await signedInPage(owner, '/administrators');
    const row = page.getByRole('row').filter({ hasText: support.email });
    await row.getByText('プロバイダーサポート').waitFor();
    await row.getByRole('button', { name: /の操作$/ }).click();
    await page.getByRole('menuitem', { name: '編集' }).waitFor();
    expect(await page.getByRole('menuitem', { name: '無効にする' }).count()).toBe(0);
    expect(await page.getByRole('menuitem', { name: '削除' }).count()).toBe(0);

    await page.getByRole('menuitem', { name: '編集' }).click();
    await page
      .getByText('プロバイダーサポートのアカウントの種類とサイト権限は変更できません。')
      .waitFor();
    expect(await page.getByRole('radio', { name: 'スーパー管理者' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: '削除' }).count()).toBe(0);
    await expectAccessible(page);
    expectCleanConsole(page);
  });

  it('lists the administrators and then the audit trail, which names them from the same list', async () => {
    const owner = await client.register();
    const page = await signedInPage(owner, '/administrators');
    await page.getByRole('cell', { name: owner.email }).waitFor();
    // Signing in made audit events whose actor is the owner: named by e-mail from the list read above.
    await page.getByRole('navigation').getByRole('link', { name: '監査ログ' }).click();
    await page.locator('tr[data-action]').getByText(owner.email).first().waitFor();
    await page.getByRole('navigation').getByRole('link', { name: '管理者' }).click();
    await page.getByRole('cell', { name: owner.email }).waitFor();
    expectCleanConsole(page);
  });

  it('is not in the navigation of an administrator who is not a super admin', async () => {
    const owner = await client.signedInConsole();
    const viewer = newAdministrator();
    const added = await client.call<Administrator>('POST', '/api/v1/administrators', {
      token: owner.token,
      headers: { 'idempotency-key': crypto.randomUUID() },
      body: { ...viewer, accountType: 'admin', siteAccess: { [owner.siteId]: 'admin' } },
    });
    expect(added.status).toBe(201);
    await client.activate(viewer.email);

    const page = await signedInPage({ email: viewer.email, password: PASSWORD }, '/');
    const navigation = page.getByRole('navigation');
    await navigation.getByRole('link', { name: 'ポリシー' }).waitFor();
    expect(await navigation.getByRole('link', { name: '管理者' }).count()).toBe(0);
    expectCleanConsole(page);
  });
});
