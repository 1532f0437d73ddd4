import { AGENT_BUNDLE_CONFIG_FILE, agentBundleConfigSchema } from '@warden/contracts';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consoleApi, consoleStack } from './console-client';
import { type Fleet, openFleet, siteAdministrator } from './endpoints-harness';
import { startGateway } from './system-under-test';

/*
 * Installers (DESIGN §3 journey 9, issue 11): per site, a bundle of the
 * reference agent with the site's keycode and the server inside its content,
 * and a one-line install command that fetches the same bundle by keycode.
 * GNU tar reads the archives, as a user's machine would.
 */

const TOKEN = `installers-operator-token-${randomUUID()}`;
const PUBLIC_URL = 'https://warden.example.jp';

/** A stand-in for the compiled reference agent: its entry, a module in a folder, and what is not code. */
function builtAgent(): string {
  const dir = mkdtempSync(join(tmpdir(), 'warden-agent-dist-'));
  mkdirSync(join(dir, 'lib'));
  writeFileSync(join(dir, 'cli.js'), "require('./lib/run.js');\n");
  writeFileSync(join(dir, 'lib', 'run.js'), 'module.exports = {};\n');
  writeFileSync(join(dir, 'cli.d.ts'), 'export {};\n');
  writeFileSync(join(dir, 'cli.js.map'), '{}\n');
  writeFileSync(join(dir, 'tsconfig.tsbuildinfo'), '{}\n');
  return dir;
}

describe('installers: the agent bundle of a site, its keycode inside', () => {
  const agentDist = builtAgent();
  const { system, client } = consoleStack(TOKEN, {
    PUBLIC_URL: `${PUBLIC_URL}/`,
    AGENT_DIST_DIR: agentDist,
  });
  const { call } = client;
  let fleet: Fleet;
  let workDir: string;

  beforeAll(async () => {
    fleet = await openFleet(client, TOKEN, 5);
  });
  beforeEach(() => {
    workDir = mkdtempSync(join(tmpdir(), 'warden-bundle-'));
  });
  afterEach(() => rmSync(workDir, { recursive: true, force: true }));
  afterAll(() => rmSync(agentDist, { recursive: true, force: true }));

  /** GETs `path` as a download (bytes), with these headers. */
  const download = async (path: string, headers: Record<string, string>) => {
    const response = await fetch(`${system.url()}${path}`, { headers });
    return {
      status: response.status,
      headers: response.headers,
      bytes: Buffer.from(await response.arrayBuffer()),
    };
  };

  /** Saves the bytes under `fileName`, lists and unpacks them with tar. */
  const unpack = (bytes: Buffer, fileName: string) => {
    const file = join(workDir, fileName);
    writeFileSync(file, bytes);
    const listed = execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).trim().split('\n');
    execFileSync('tar', ['-xzf', file, '-C', workDir]);
    const config = agentBundleConfigSchema.parse(
      JSON.parse(readFileSync(join(workDir, 'warden-agent', AGENT_BUNDLE_CONFIG_FILE), 'utf8')),
    );
    return { listed, config };
  };

  it('shows the download and a one-line install command that holds the keycode and the server', async () => {
    const reply = await call<{ fileName: string; downloadPath: string; installCommand: string }>(
      'GET',
      `/api/v1/sites/${fleet.siteId.toUpperCase()}/installer`,
      { token: fleet.token },
    );

    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      fileName: 'warden-agent.tar.gz',
      downloadPath: `/api/v1/sites/${fleet.siteId}/installer/bundle`,
      installCommand:
        `curl -fsS -H 'X-Warden-Keycode: ${fleet.keycode}' ${PUBLIC_URL}/agent/v1/installer` +
        ' | tar -xz && node warden-agent/cli.js enroll && node warden-agent/cli.js run',
    });
  });

  it('downloads a valid .tar.gz of the built agent with the site’s keycode and the server in its config', async () => {
    const reply = await download(`/api/v1/sites/${fleet.siteId}/installer/bundle`, {
      authorization: `Bearer ${fleet.token}`,
    });

    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('application/gzip');
    expect(reply.headers.get('content-disposition')).toBe(
      'attachment; filename="warden-agent.tar.gz"',
    );
    expect(reply.headers.get('cache-control')).toBe('no-store');
    // Renamed as a browser might: the keycode is in the content, not the name.
    const { listed, config } = unpack(reply.bytes, 'download (1).tar.gz');
    expect(listed).toEqual([
      'warden-agent/',
      'warden-agent/lib/',
      'warden-agent/cli.js',
      'warden-agent/lib/run.js',
      'warden-agent/warden-agent.json',
      'warden-agent/README.txt',
    ]);
    expect(config).toEqual({ server: PUBLIC_URL, keycode: fleet.keycode });
    expect(readFileSync(join(workDir, 'warden-agent', 'cli.js'), 'utf8')).toBe(
      "require('./lib/run.js');\n",
    );
    expect(readFileSync(join(workDir, 'warden-agent', 'README.txt'), 'utf8')).toContain(
      'node cli.js enroll',
    );
  });

  it('gives the same bundle to the install command: the keycode in a header, as typed', async () => {
    const typed = fleet.keycode.toLowerCase().replace(/-/g, '');

    const reply = await download('/agent/v1/installer', { 'x-warden-keycode': typed });

    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-disposition')).toBe(
      'attachment; filename="warden-agent.tar.gz"',
    );
    const { listed, config } = unpack(reply.bytes, 'warden-agent.tar.gz');
    expect(listed).toContain('warden-agent/cli.js');
    expect(config).toEqual({ server: PUBLIC_URL, keycode: fleet.keycode });
  });

  it('refuses a wrong, malformed or missing keycode on the public route', async () => {
    // The right shape with a wrong check character.
    const last = fleet.keycode.at(-1)!;
    const wrong = `${fleet.keycode.slice(0, -1)}${last === 'A' ? 'B' : 'A'}`;
    const api = consoleApi(() => system.url());

    const unknown = await api('GET', '/agent/v1/installer', {
      headers: { 'x-warden-keycode': wrong },
    });
    const malformed = await api('GET', '/agent/v1/installer', {
      headers: { 'x-warden-keycode': 'not a keycode' },
    });
    const missing = await api('GET', '/agent/v1/installer');

    expect([unknown.status, unknown.body.error?.code]).toEqual([400, 'KEYCODE_INVALID']);
    expect([malformed.status, malformed.body.error?.code]).toEqual([400, 'KEYCODE_INVALID']);
    expect([missing.status, missing.body.error?.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(missing.body.error?.details?.['fields']).toEqual({ 'X-Warden-Keycode': ['required'] });
  });

  it('refuses the public route for a suspended console, as enrolment would', async () => {
    const suspended = await openFleet(client, TOKEN, 1);
    const done = await call('POST', `/ops/v1/consoles/${suspended.account.consoleId}/suspend`, {
      token: TOKEN,
    });
    expect(done.status).toBe(200);

    const reply = await call('GET', '/agent/v1/installer', {
      headers: { 'x-warden-keycode': suspended.keycode },
    });

    expect([reply.status, reply.body.error?.code]).toEqual([403, 'CONSOLE_SUSPENDED']);
  });

  it('lets a view-only administrator download, and hides the sites an administrator has no access to', async () => {
    const viewer = await siteAdministrator(client, fleet, 'view_only');
    const other = await openFleet(client, TOKEN, 1);

    const info = await call('GET', `/api/v1/sites/${fleet.siteId}/installer`, { token: viewer });
    const bundle = await download(`/api/v1/sites/${fleet.siteId}/installer/bundle`, {
      authorization: `Bearer ${viewer}`,
    });
    const elsewhere = await call('GET', `/api/v1/sites/${other.siteId}/installer/bundle`, {
      token: viewer,
    });
    const ofAnotherConsole = await call('GET', `/api/v1/sites/${other.siteId}/installer`, {
      token: fleet.token,
    });

    expect([info.status, bundle.status]).toEqual([200, 200]);
    expect(unpack(bundle.bytes, 'x.tar.gz').config.keycode).toBe(fleet.keycode);
    expect([elsewhere.status, elsewhere.body.error?.code]).toEqual([404, 'SITE_NOT_FOUND']);
    expect([ofAnotherConsole.status, ofAnotherConsole.body.error?.code]).toEqual([
      404,
      'SITE_NOT_FOUND',
    ]);
  });

  it('says the bundle is unavailable, without guessing, where the agent is not built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'warden-agent-missing-'));
    const gateway = await startGateway({ AGENT_DIST_DIR: empty, OPS_API_TOKENS: TOKEN });
    try {
      const api = consoleApi(() => gateway.url);

      const reply = await api('GET', '/agent/v1/installer', {
        headers: { 'x-warden-keycode': fleet.keycode },
      });

      expect([reply.status, reply.body.error?.code]).toEqual([503, 'SERVICE_UNAVAILABLE']);
      expect(reply.body.error?.message).toMatch(/agent/);
      expect(Number(reply.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    } finally {
      await gateway.app.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
