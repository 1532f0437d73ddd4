import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { tarGz } from './ustar';

/** GNU tar is the judge: what it lists and unpacks is what any user's tar would. */
describe('tarGz', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'warden-ustar-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (archive: Buffer): string => {
    const file = join(dir, 'bundle.tar.gz');
    writeFileSync(file, archive);
    return file;
  };

  it('writes an archive tar lists and unpacks, folders, contents and modes intact', () => {
    const longName = `${'deep/'.repeat(25)}file.js`;
    const sut = tarGz([
      { path: 'agent/' },
      { path: 'agent/cli.js', content: Buffer.from('console.log("hi")\n'), mode: 0o755 },
      { path: 'agent/empty.txt', content: Buffer.alloc(0) },
      { path: 'agent/block.bin', content: Buffer.alloc(512, 7) },
      { path: 'agent/日本語.txt', content: Buffer.from('こんにちは') },
      { path: `agent/${longName}`, content: Buffer.from('long') },
    ]);
    const file = write(sut);

    const listed = execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).trim().split('\n');
    execFileSync('tar', ['-xzf', file, '-C', dir]);

    expect(listed).toEqual([
      'agent/',
      'agent/cli.js',
      'agent/empty.txt',
      'agent/block.bin',
      'agent/日本語.txt',
      `agent/${longName}`,
    ]);
    expect(readFileSync(join(dir, 'agent/cli.js'), 'utf8')).toBe('console.log("hi")\n');
    expect(statSync(join(dir, 'agent/cli.js')).mode & 0o777).toBe(0o755);
    expect(readFileSync(join(dir, 'agent/empty.txt')).length).toBe(0);
    expect(readFileSync(join(dir, 'agent/block.bin'))).toEqual(Buffer.alloc(512, 7));
    expect(readFileSync(join(dir, 'agent/日本語.txt'), 'utf8')).toBe('こんにちは');
    expect(readFileSync(join(dir, 'agent', longName), 'utf8')).toBe('long');
  });

  it('pads every entry to 512-byte blocks and ends with two empty blocks', () => {
    const raw = gunzipSync(tarGz([{ path: 'a.txt', content: Buffer.from('abc') }]));

    expect(raw.length).toBe(512 * 4);
    expect(raw.subarray(1024).every((byte) => byte === 0)).toBe(true);
    expect(raw.subarray(257, 263).toString('ascii')).toBe('ustar\0');
  });

  it('refuses a path that would land outside the folder it is unpacked in', () => {
    expect(() => tarGz([{ path: '../evil.js', content: Buffer.from('x') }])).toThrow(/relative/);
    expect(() => tarGz([{ path: '/etc/passwd', content: Buffer.from('x') }])).toThrow(/relative/);
  });
});
