import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStateStore, STATE_FILE } from './state-store';

describe('the agent state folder', () => {
  const newDir = () => mkdtempSync(join(tmpdir(), 'warden-agent-state-'));

  it('makes a hardware key once and keeps it: a second start is the same device', () => {
    const dir = newDir();
    const sut = new FileStateStore(dir);
    const key = sut.state.hardwareKey;
    expect(key).toMatch(/^wa-[0-9a-f]{64}$/);

    const again = new FileStateStore(dir);
    expect(again.state.hardwareKey).toBe(key);
    expect(new FileStateStore(newDir()).state.hardwareKey).not.toBe(key);
  });

  it('keeps the device, its policy and what was sent across restarts, readable by its owner only', () => {
    const dir = newDir();
    const sut = new FileStateStore(dir);
    sut.state.device = {
      deviceId: '0b7c2a8e-4d0e-4e8e-9a43-5a1d2c3b4e5f',
      deviceToken: 'id.secret',
      enrolledAt: '2026-12-02T09:00:00.000Z',
    };
    sut.state.policy = { policyId: 'p', version: 3, versionTag: 'p:3', settings: {} as never };
    sut.state.policyVersion = 'p:3';
    sut.state.sentDetectionIds.push('d-1');
    sut.save();

    const reread = new FileStateStore(dir);
    expect(reread.state).toEqual(sut.state);
    expect(statSync(join(dir, STATE_FILE)).mode & 0o777).toBe(0o600);
  });

  it('fills what an older file lacks, and refuses a file without a hardware key', () => {
    const dir = newDir();
    writeFileSync(join(dir, STATE_FILE), JSON.stringify({ hardwareKey: 'old-device-key' }));
    const sut = new FileStateStore(dir);
    expect(sut.state).toMatchObject({
      hardwareKey: 'old-device-key',
      policyVersion: null,
      sentDetectionIds: [],
      commands: [],
    });

    const broken = newDir();
    writeFileSync(join(broken, STATE_FILE), JSON.stringify({ deviceToken: 'x' }));
    expect(() => new FileStateStore(broken)).toThrow(/no hardware key/);
  });

  it('replaces the file whole (no temporary file left behind)', () => {
    const dir = newDir();
    const sut = new FileStateStore(dir);
    for (let i = 0; i < 5; i += 1) {
      sut.state.sentDetectionIds.push(`d-${i}`);
      sut.save();
    }
    const saved = JSON.parse(readFileSync(join(dir, STATE_FILE), 'utf8')) as {
      sentDetectionIds: string[];
    };
    expect(saved.sentDetectionIds).toHaveLength(5);
    expect(readdirSync(dir)).toEqual([STATE_FILE]);
  });
});
