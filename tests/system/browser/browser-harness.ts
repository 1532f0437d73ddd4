import axe from 'axe-core';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { commandServiceEnv } from '../commands-harness';
import { consoleClient } from '../console-client';
import { RAISED_SIGN_IN_LIMITS, signInStack } from '../system-under-test';

/*
 * The web console in a real browser: Debian's chromium, driven by
 * playwright-core (no browser download), against the whole system started
 * for the `describe` block, its gateway serving the console built into
 * apps/console/dist (`npm test` builds it first).
 */

const ROOT = join(__dirname, '../../..');
/** The built console; CONSOLE_DIST_DIR may name another build (e.g. one of your own in /tmp). */
export const CONSOLE_DIST_DIR = process.env['CONSOLE_DIST_DIR'] ?? join(ROOT, 'apps/console/dist');
/** Screenshots of the main screens; the README shows copies of them from docs/screenshots. */
export const SCREENSHOT_DIR = join(ROOT, '.cache/screenshots');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export type Language = 'ja' | 'en';

/**
 * Flags for a headless chromium on a machine without a network beyond
 * loopback: no sandbox when running as root (CI), and none of the
 * background connections that would be refused.
 */
const CHROMIUM_ARGS = [
  ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no browser at ${CHROMIUM}: scripts/provision.sh installs Debian's chromium (or set CHROMIUM_PATH)`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** What a `describe` block changes in the system it starts. */
export interface BrowserStackOptions {
  /** The gateway's environment on top of the harness's, e.g. `{ PUBLIC_URL: … }`. */
  gateway?: Record<string, string>;
}

/**
 * The whole system and a browser for one `describe` block, its gateway
 * taking `opsToken` and serving the built console, and a console client
 * (tests/system/console-client.ts) to set the scene through the API.
 */
export function browserStack(opsToken: string, options: BrowserStackOptions = {}) {
  if (!existsSync(join(CONSOLE_DIST_DIR, 'index.html'))) {
    throw new Error(
      `the web console is not built in ${CONSOLE_DIST_DIR}: run \`npm run build:console\``,
    );
  }
  const system = signInStack({
    gateway: {
      OPS_API_TOKENS: opsToken,
      ...RAISED_SIGN_IN_LIMITS,
      CONSOLE_DIST_DIR,
      ...options.gateway,
    },
    command: commandServiceEnv(),
  });
  const client = consoleClient(system, opsToken);
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });
  afterAll(async () => {
    await browser?.close();
  });

  /**
   * A fresh browser profile in `language` (its Accept-Language and
   * navigator.language), its page failing the test on any script error or
   * CSP violation (see {@link expectCleanConsole}).
   */
  const openPage = async (language: Language = 'ja'): Promise<Page> => {
    if (!browser) throw new Error('the browser is not started: use openPage() inside a test');
    const context = await browser.newContext({
      locale: language === 'ja' ? 'ja-JP' : 'en-US',
      timezoneId: 'Asia/Tokyo',
      viewport: { width: 1366, height: 900 },
      baseURL: system.url(),
    });
    contexts.push(context);
    const page = await context.newPage();
    watchConsole(page);
    return page;
  };

  /**
   * A page already signed in as `account` (through the API: the sign-in
   * screens have tests of their own), on `path`.
   */
  const signedInPage = async (
    account: { email: string; password: string },
    path = '/',
    language: Language = 'ja',
  ): Promise<Page> => {
    const tokens = await client.signIn(account);
    const page = await openPage(language);
    await page.addInitScript(
      `sessionStorage.setItem('warden.session', ${JSON.stringify(JSON.stringify(tokens))})`,
    );
    await page.goto(path);
    return page;
  };

  return { system, client, openPage, signedInPage };
}

const pageProblems = new WeakMap<Page, string[]>();

function watchConsole(page: Page): void {
  const problems: string[] = [];
  pageProblems.set(page, problems);
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    const text = message.text();
    // A failed API call is logged by the browser; the test asserts on what the page shows instead.
    if (message.type() === 'error' && !/Failed to load resource/.test(text)) {
      problems.push(`console: ${text}`);
    }
  });
}

/** No uncaught script error and no CSP violation on this page so far. */
export function expectCleanConsole(page: Page): void {
  expect(pageProblems.get(page) ?? []).toEqual([]);
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** axe-core on the page as it is: no serious or critical violation. */
export async function expectAccessible(page: Page): Promise<void> {
  // Evaluated over the DevTools protocol: the page's CSP (rightly) refuses inline scripts.
  await page.evaluate(axe.source);
  const violations = await page.evaluate<AxeViolation[]>(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })))`,
  );
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) => `${v.impact} ${v.id}: ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`,
    );
  expect(serious).toEqual([]);
}

/** Saves the page as `.cache/screenshots/<name>.png` (the README shows the main screens). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}
