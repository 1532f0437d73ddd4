import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Administrator, ConsoleDetail } from '@warden/contracts';

/** Fixed key: every start finds the demo console the first one made (the ops API is idempotent on it). */
const DEMO_IDEMPOTENCY_KEY = 'warden-dev-demo-console-v1';

/**
 * Seeds the demo console through the public ops API, as a provider would, and
 * returns lines for the start-up banner.
 */
export async function seedDemo(
  gatewayUrl: string,
  opsToken: string,
  mailSpoolDir: string | null,
): Promise<string[]> {
  const response = await fetch(`${gatewayUrl}/ops/v1/consoles`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${opsToken}`,
      'content-type': 'application/json',
      'idempotency-key': DEMO_IDEMPOTENCY_KEY,
    },
    body: JSON.stringify({
      name: 'Demo Company',
      kind: 'trial',
      language: 'en',
      site: { name: 'Demo Company HQ', seats: 25, comment: 'seeded by npm start' },
      administrators: [
        { email: DEMO_ADMIN, firstName: 'Hanako', lastName: 'Demo', language: 'en' },
      ],
    }),
  });
  if (!response.ok) {
    throw new Error(`seeding the demo console failed: ${response.status} ${await response.text()}`);
  }
  const demo = (await response.json()) as ConsoleDetail & { administrators: Administrator[] };
  const site = demo.sites[0]!;
  const admin = demo.administrators[0]!;
  return [
    `  demo console    ${demo.console.name} (${demo.console.id}, ${demo.console.kind})`,
    `  demo site       ${site.name}: keycode ${site.keycode}, seats ${site.usage.used}/${site.usage.seats} used`,
    `  demo admin      ${admin.email} (${admin.state})`,
    ...(admin.state === 'invited' ? await activationMailLines(mailSpoolDir) : []),
  ];
}

const DEMO_ADMIN = 'demo.admin@example.com';
const MAIL_WAIT_MS = 15_000;

/**
 * Where the demo administrator's activation e-mail is: the newest one in the
 * spool for that address. The mail worker writes it a moment after the
 * console is opened, so this waits for the file to appear.
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
        return [`  activation mail ${join(spool, name)}  (read it: npm run mail)`];
      }
    }
    await new Promise((done) => setTimeout(done, 200));
  }
  return [`  activation mail not in ${spool} yet: see .data/logs/command.log`];
}
