import type { ConsoleDetail } from '@warden/contracts';

/** Fixed key: every start finds the demo console the first one made (the ops API is idempotent on it). */
const DEMO_IDEMPOTENCY_KEY = 'warden-dev-demo-console-v1';

/**
 * Seeds the demo console through the public ops API, as a provider would, and
 * returns lines for the start-up banner.
 */
export async function seedDemo(gatewayUrl: string, opsToken: string): Promise<string[]> {
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
        { email: 'demo.admin@example.com', firstName: 'Hanako', lastName: 'Demo', language: 'ja' },
      ],
    }),
  });
  if (!response.ok) {
    throw new Error(`seeding the demo console failed: ${response.status} ${await response.text()}`);
  }
  const demo = (await response.json()) as ConsoleDetail;
  const site = demo.sites[0]!;
  return [
    `  demo console    ${demo.console.name} (${demo.console.id}, ${demo.console.kind})`,
    `  demo site       ${site.name}: keycode ${site.keycode}, seats ${site.usage.used}/${site.usage.seats} used`,
  ];
}
