import { browserStack, expectAccessible, expectCleanConsole, screenshot } from './browser-harness';

const TOKEN = `console-shell-operator-token-${process.pid}`;

describe('the web console’s shell', () => {
  const { client, signedInPage, system } = browserStack(TOKEN);

  it('is served at every page the console knows, with a CSP nonce, and 404 elsewhere', async () => {
    for (const path of ['/', '/login', '/endpoints', '/activation/abc', '/reset-password/abc']) {
      const reply = await fetch(`${system.url()}${path}`);
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-type')).toMatch(/^text\/html/);
      const csp = reply.headers.get('content-security-policy') ?? '';
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce).toBeDefined();
      expect(await reply.text()).toContain(`content="${nonce}"`);
      expect(csp).toContain("script-src 'self'");
    }
    expect((await fetch(`${system.url()}/assets/nope.js`)).status).toBe(404);
    expect((await fetch(`${system.url()}/api/v1/nope`)).status).toBe(404);
  });

  it('opens a signed-in administrator’s dashboard with the navigation, accessible', async () => {
    const account = await client.register();
    const page = await signedInPage(account, '/');
    await page.getByRole('navigation').getByRole('link', { name: 'ポリシー' }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'shell');
    expectCleanConsole(page);
  });

  it('says a page could not be opened, and offers a reload, when its module does not load', async () => {
    const account = await client.register();
    const page = await signedInPage(account, '/login');
    // As after an update: the tab's old chunk of the dashboard is gone from the server.
    await page.route(/\/assets\/DashboardPage-[^/]+\.js$/, (route) => route.abort());
    await page.goto('/');
    await page.getByRole('heading', { name: 'このページを開けませんでした' }).waitFor();
    await page.getByRole('button', { name: '再読み込み' }).waitFor();
    await expectAccessible(page);
  });
});
