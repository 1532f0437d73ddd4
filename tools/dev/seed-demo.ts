import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Administrator, ConsoleDetail } from '@warden/contracts';
import { simpleParser } from 'mailparser';

/** Fixed key: every start finds the demo console the first one made (the ops API is idempotent on it). */
const DEMO_IDEMPOTENCY_KEY = 'warden-dev-demo-console-v1';

export interface SeedOptions {
  /** Where the activation e-mail lands; null when it goes out through SMTP_URL. */
  mailSpoolDir: string | null;
  /** The gateway as agents reach it (PUBLIC_URL): what the install command calls. */
  publicUrl: string;
  /** Where the demo site's agent bundle is saved. */
  agentDir: string;
}

/**
 * Seeds the demo console through the public ops API, as a provider would, and
 * returns lines for the start-up banner.
 */
export async function seedDemo(
  gatewayUrl: string,
  opsToken: string,
  options: SeedOptions,
): Promise<string[]> {
  const response = await fetch(`${gatewayUrl}/ops/v1/consoles`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${opsToken}`,
      'content-type': 'application/json',
      'idempotency-key': DEMO_IDEMPOTENCY_KEY,
    },
    body: JSON.stringify({
      name: DEMO_NAME,
      kind: 'trial',
      // The console's customers work in Japanese; the language switch is on every page.
      language: 'ja',
      site: { name: 'Demo Company HQ', seats: 25, comment: 'seeded by npm start' },
      administrators: [
        { email: DEMO_ADMIN, firstName: 'Hanako', lastName: 'Demo', language: 'ja' },
      ],
    }),
  });
  let demo: Opened | null = null;
  if (response.ok) {
    demo = (await response.json()) as Opened;
  } else {
    const text = await response.text();
    // The idempotency record can be gone (another operator token, an expired
    // key) while the data in .data stays: then the demo admin's address is
    // taken by the demo console an earlier start made. Use that one.
    if (response.status === 409 && text.includes('ADMIN_EMAIL_TAKEN')) {
      demo = await earlierDemo(gatewayUrl, opsToken);
    }
    if (!demo) throw new Error(`seeding the demo console failed: ${response.status} ${text}`);
  }
  const site = demo.sites[0]!;
  const admin = demo.administrators[0]!;
  return [
    `  demo console    ${demo.console.name} (${demo.console.id}, ${demo.console.kind})`,
    `  demo site       ${site.name}: keycode ${site.keycode}, seats ${site.usage.used}/${site.usage.seats} used`,
    ...(await agentLines(gatewayUrl, site.keycode, options)),
    `  demo admin      ${admin.email} (${admin.state})`,
    ...(admin.state === 'invited' ? await activationMailLines(options.mailSpoolDir) : []),
  ];
}

type Opened = ConsoleDetail & { administrators: Administrator[] };

/** The console named like the demo whose administrators include the demo admin, if any. */
async function earlierDemo(gatewayUrl: string, opsToken: string): Promise<Opened | null> {
  const ops = async <T>(path: string): Promise<T> => {
    const reply = await fetch(`${gatewayUrl}/ops/v1/${path}`, {
      headers: { authorization: `Bearer ${opsToken}` },
    });
    if (!reply.ok) throw new Error(`GET /ops/v1/${path}: ${reply.status} ${await reply.text()}`);
    return (await reply.json()) as T;
  };
  const consoles = await ops<{ items: { id: string; name: string }[] }>(
    `consoles?name=${encodeURIComponent(DEMO_NAME)}&limit=200`,
  );
  for (const candidate of consoles.items.filter((c) => c.name === DEMO_NAME)) {
    const admins = await ops<{ items: Administrator[] }>(`consoles/${candidate.id}/administrators`);
    const admin = admins.items.find((a) => a.email === DEMO_ADMIN);
    if (!admin) continue;
    const detail = await ops<ConsoleDetail>(`consoles/${candidate.id}`);
    return { ...detail, administrators: [admin] };
  }
  return null;
}

/** The installer's public route and the header its keycode goes in (services/gateway/src/installers). */
const INSTALLER_PATH = '/agent/v1/installer';
const KEYCODE_HEADER = 'X-Warden-Keycode';
const BUNDLE_FILE = 'warden-agent.tar.gz';

/**
 * The demo site's agent: its bundle, fetched as the install command does and
 * saved under .data/agent, and the one-line install command for another
 * machine. A bundle that cannot be fetched is a warning, not a failed start.
 */
async function agentLines(
  gatewayUrl: string,
  keycode: string,
  options: SeedOptions,
): Promise<string[]> {
  const installCommand =
    `curl -fsS -H '${KEYCODE_HEADER}: ${keycode}' ${options.publicUrl}${INSTALLER_PATH} | tar -xz` +
    ' && node warden-agent/cli.js enroll && node warden-agent/cli.js run';
  const response = await fetch(`${gatewayUrl}${INSTALLER_PATH}`, {
    headers: { [KEYCODE_HEADER]: keycode },
  }).catch((error: unknown) => error as Error);
  if (response instanceof Error || !response.ok) {
    const why = response instanceof Error ? response.message : `${response.status}`;
    return [`  demo agent      the bundle is not available (${why}): see .data/logs/gateway.log`];
  }
  await mkdir(options.agentDir, { recursive: true });
  const bundle = join(options.agentDir, BUNDLE_FILE);
  await writeFile(bundle, Buffer.from(await response.arrayBuffer()));
  const shown = relative(process.cwd(), bundle) || bundle;
  return [
    `  demo agent      bundle ${shown}: tar -xzf ${shown} && node warden-agent/cli.js run`,
    `                  (drop a detection: warden-agent/state/detections.json; README "Try an agent")`,
    `  agent install   ${installCommand}`,
  ];
}

const DEMO_ADMIN = 'demo.admin@example.com';
const DEMO_NAME = 'Demo Company';
const MAIL_WAIT_MS = 15_000;

/**
 * The demo administrator's activation e-mail, the newest one in the spool for
 * that address: where it is, and the link to open in the browser with the
 * temporary password to type there. The mail worker writes it a moment after
 * the console is opened, so this waits for the file to appear.
 */
async function activationMailLines(spool: string | null): Promise<string[]> {
  if (!spool) return ['  activation mail sent to demo.admin@example.com through SMTP_URL'];
  const deadline = Date.now() + MAIL_WAIT_MS;
  while (Date.now() < deadline) {
    const names = (await readdir(spool).catch(() => [] as string[]))
      .filter((name) => name.includes('-activation-') && name.endsWith('.eml'))
      .sort()
      .reverse();
    for (const name of names) {
      const text = await readFile(join(spool, name), 'utf8');
      if (text.includes(`To: ${DEMO_ADMIN}`)) {
        return [
          `  activation mail ${join(spool, name)}  (read it: npm run mail)`,
          ...(await activationLines(text)),
        ];
      }
    }
    await new Promise((done) => setTimeout(done, 200));
  }
  return [`  activation mail not in ${spool} yet: see .data/logs/command.log`];
}

/** The link and temporary password of an activation e-mail (either language). */
async function activationLines(eml: string): Promise<string[]> {
  const text = (await simpleParser(eml)).text ?? '';
  const link = /https?:\/\/\S+\/activation\/[A-Za-z0-9_-]+/.exec(text)?.[0];
  const password = /(?:Temporary password|仮パスワード): (\S+)/.exec(text)?.[1];
  if (!link || !password) return [];
  return [
    `  activate        open ${link}`,
    `                  temporary password ${password}; then log in at the web console`,
  ];
}
