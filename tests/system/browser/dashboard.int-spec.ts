import type { Site } from '@warden/contracts';
import { issue } from '../commands-harness';
import { checkin, detection, enrolAll, type Fleet, openFleet } from '../endpoints-harness';
import { browserStack, expectAccessible, expectCleanConsole, screenshot } from './browser-harness';

/*
 * Issue 13's dashboard in the browser, in Japanese: each site's seats and
 * endpoints by status, the endpoints infected last with the threat, and the
 * commands still waiting for their endpoints.
 */

const TOKEN = `browser-dashboard-operator-${process.pid}`;

describe('the dashboard', () => {
  const { client, signedInPage } = browserStack(TOKEN);
  const { call } = client;
  let fleet: Fleet;
  let siteName: string;

  beforeAll(async () => {
    fleet = await openFleet(client, TOKEN, 10);
    const site = await call<Site>('GET', `/api/v1/sites/${fleet.siteId}`, { token: fleet.token });
    siteName = site.body.name;
  });

  it('shows a site’s seats and endpoints by status, the last infection with its threat, and a pending command', async () => {
    const [infected, waiting] = await enrolAll(call, fleet.keycode, [
      { hostname: 'dash-infected' },
      { hostname: 'dash-waiting' },
      { hostname: 'dash-clean' },
    ]);
    const reported = await checkin(call, infected!.deviceToken, {
      status: 'threats_active',
      detections: [detection({ threatName: 'Trojan.Dashboard.Test' })],
    });
    expect(reported.status).toBe(200);
    await issue(call, fleet.token, waiting!.deviceId, { type: 'scan' });

    const page = await signedInPage(fleet.account, '/');
    const site = page.getByRole('region', { name: siteName });
    await site.locator('[data-status="infected"]').waitFor();
    expect(await site.getByTestId('seats-used').textContent()).toBe('3 / 10 使用中');
    expect(await site.getByTestId('seats-free').textContent()).toBe('空き 7');
    expect(await site.locator('[data-status="infected"]').textContent()).toBe('感染1');
    expect(await site.locator('[data-status="protected"]').textContent()).toBe('保護されています2');

    const detections = page.getByRole('region', { name: '最近の感染' });
    const infectedRow = detections.getByRole('row', { name: /dash-infected/ });
    await infectedRow.getByText('Trojan.Dashboard.Test').waitFor();
    expect(await infectedRow.textContent()).toContain(siteName);
    expect(await infectedRow.textContent()).toMatch(/本日 \(\d\d:\d\d\)/);

    const pending = page.getByRole('region', { name: '保留中のコマンド' });
    const commandRow = pending.getByRole('row', { name: /dash-waiting/ });
    await commandRow.getByText('スキャン').waitFor();
    expect(await commandRow.textContent()).toContain('保留中');

    await expectAccessible(page);
    await screenshot(page, 'dashboard');

    await site.getByRole('link', { name: '感染' }).click();
    await page.waitForURL(
      (url) =>
        url.pathname === '/endpoints' &&
        url.searchParams.get('site') === fleet.siteId &&
        url.searchParams.get('status') === 'infected',
    );
    // The endpoints table starts with the status the link asked for.
    // A chip's checkbox is visually hidden behind its label.
    const infectedChip = page.getByRole('checkbox', { name: '感染 (1)' });
    await infectedChip.waitFor({ state: 'attached' });
    expect(await infectedChip.isChecked()).toBe(true);
    const rows = page.getByRole('table');
    await rows.getByText('dash-infected', { exact: true }).waitFor();
    expect(await rows.getByText('dash-clean', { exact: true }).count()).toBe(0);
    expectCleanConsole(page);
  });
});
