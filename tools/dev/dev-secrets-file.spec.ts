import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateDevSecrets } from './dev-secrets-file';

describe('loadOrCreateDevSecrets (npm start)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'warden-secrets-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('generates the secrets once, owner-only, and gives the same ones on every later run', () => {
    const file = join(dir, 'secrets.json');

    const first = loadOrCreateDevSecrets(file);
    const second = loadOrCreateDevSecrets(file);

    expect(first.created).toBe(true);
    expect(second).toEqual({ secrets: first.secrets, created: false });
    expect(first.secrets.accessTokenSigningKey).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(first.secrets);
  });

  it('refuses a file that is not one, rather than replacing keys data depends on', () => {
    const file = join(dir, 'secrets.json');
    writeFileSync(file, '{"accessTokenSigningKey": "x"}');

    expect(() => loadOrCreateDevSecrets(file)).toThrow(/Delete it to generate new ones/);
    expect(readFileSync(file, 'utf8')).toBe('{"accessTokenSigningKey": "x"}');
  });
});
