import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway } from './system-under-test';

/**
 * The web console's API client is typed from the gateway's OpenAPI document
 * (apps/console/src/api/schema.ts, checked in). This test generates it again
 * from the running gateway and fails when the two differ, so a changed API
 * breaks the build rather than the console's users. `npm run api:client`
 * runs it in update mode and writes the file.
 */
const ROOT = join(__dirname, '../..');
const CLIENT_SCHEMA = join(ROOT, 'apps/console/src/api/schema.ts');
const UPDATE = process.env['UPDATE_API_CLIENT'] === '1';
const HEADER =
  '// Generated from the gateway’s OpenAPI document by `npm run api:client`. Do not edit.\n\n';

describe('the web console’s typed API client', () => {
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(() => gateway.app.close());

  it('is generated from the gateway’s current OpenAPI document', async () => {
    const document = (await (await fetch(`${gateway.url}/api/docs/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    // The console speaks only the console API; agents and the provider have their own clients.
    const paths = Object.fromEntries(
      Object.entries(document.paths).filter(([path]) => path.startsWith('/api/v1/')),
    );
    const generated = generateClientTypes({ ...document, paths });
    if (UPDATE) {
      writeFileSync(CLIENT_SCHEMA, generated);
      return;
    }
    const checkedIn = readFileSync(CLIENT_SCHEMA, 'utf8');
    if (checkedIn !== generated) {
      throw new Error(
        'apps/console/src/api/schema.ts is not what the gateway’s OpenAPI document gives: ' +
          'run `npm run api:client` and build the console against the new types',
      );
    }
  });
});

/**
 * openapi-typescript's and prettier's own command lines (both are ES modules
 * that jest's CommonJS runtime cannot load), so the file is exactly what
 * they give and what `prettier --check` accepts.
 */
function generateClientTypes(document: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'warden-api-client-'));
  const input = join(dir, 'openapi.json');
  writeFileSync(input, JSON.stringify(document));
  const types = execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules/openapi-typescript/bin/cli.js'), input],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules/prettier/bin/prettier.cjs'), '--stdin-filepath', CLIENT_SCHEMA],
    { encoding: 'utf8', input: HEADER + types, cwd: ROOT },
  );
}
