import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { browserStack, expectAccessible, expectCleanConsole, screenshot } from './browser-harness';

/*
 * ダウンロード in Japanese (DESIGN §3 journey 9, issue 13 screen 5): per site the
 * agent bundle (the keycode inside its content) and, under 高度な配布オプション,
 * the one-line install command.
 */

const TOKEN = `installers-browser-operator-token-${process.pid}`;
/** Where agents reach the gateway from outside: what the install command must name. */
const PUBLIC_URL = 'https://warden.example.test';

describe('ダウンロード in the browser', () => {
  const { client, signedInPage } = browserStack(TOKEN, { gateway: { PUBLIC_URL } });

  it('downloads the site’s bundle and shows the one-line install with the public URL and the keycode', async () => {
    const { account, token, siteId, keycode } = await client.signedInConsole();
    const installer = await client.call<{ installCommand: string }>(
      'GET',
      `/api/v1/sites/${siteId}/installer`,
      { token },
    );
    const page = await signedInPage(account, '/installers');
    await page.getByRole('heading', { level: 1, name: 'ダウンロード' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'HQ' }).waitFor();

    await page.getByRole('button', { name: '高度な配布オプション' }).click();
    const command = page.getByTestId('install-command');
    await command.waitFor();
    const shown = (await command.textContent()) ?? '';
    expect(shown).toBe(installer.body.installCommand);
    expect(shown).toContain(
      `curl -fsS -H 'X-Warden-Keycode: ${keycode}' ${PUBLIC_URL}/agent/v1/installer | tar -xz`,
    );
    await page.getByRole('button', { name: 'インストールコマンドをコピー' }).waitFor();

    await expectAccessible(page);
    await screenshot(page, 'installers');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /^ダウンロード/ }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.tar\.gz$/);
    const bytes = readFileSync(await download.path());
    expect(bytes.length).toBeGreaterThan(0);
    // A gzip whose tar holds the site's keycode in its content.
    expect(gunzipSync(bytes).toString('latin1')).toContain(keycode);

    expectCleanConsole(page);
  });
});
