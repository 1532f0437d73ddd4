import type { AgentDetection } from '@warden/contracts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentStatusOf, readDetectionsFile, unsentDetections } from './detections';

const detection = (id: string, actionTaken: AgentDetection['actionTaken'] = 'quarantined') => ({
  id,
  threatName: 'EICAR-Test-File',
  path: `C:\\Users\\hanako\\Downloads\\${id}.com`,
  hash: '44d88612fea8a8f36de82e1278abb02f',
  actionTaken,
  detectedAt: '2026-12-02T09:00:00Z',
});

describe('the detections file', () => {
  const file = () => join(mkdtempSync(join(tmpdir(), 'warden-detections-')), 'detections.json');

  it('is empty when missing or blank', () => {
    expect(readDetectionsFile(file())).toEqual({ detections: [], rejected: [] });
    const blank = file();
    writeFileSync(blank, '  \n');
    expect(readDetectionsFile(blank)).toEqual({ detections: [], rejected: [] });
  });

  it('keeps good entries (protocol fields only) and says why each bad one is left out', () => {
    const sut = file();
    writeFileSync(
      sut,
      JSON.stringify([
        { ...detection('a'), note: 'not a protocol field' },
        { ...detection('b'), hash: 'xyz' },
        { ...detection('c'), actionTaken: 'ignored' },
        { ...detection('d'), detectedAt: 'yesterday' },
        'nonsense',
      ]),
    );
    const read = readDetectionsFile(sut);
    expect(read.detections).toEqual([detection('a')]);
    expect(read.rejected).toEqual([
      expect.stringMatching(/^entry 1: hash/),
      expect.stringMatching(/^entry 2: actionTaken/),
      expect.stringMatching(/^entry 3: detectedAt/),
      expect.stringMatching(/^entry 4: not an object/),
    ]);
  });

  it('marks a half-written file or a non-list unreadable (the agent keeps its last read)', () => {
    const half = file();
    writeFileSync(half, '[{"id": "a", "threat');
    expect(readDetectionsFile(half)).toMatchObject({ detections: [], unreadable: true });
    const object = file();
    writeFileSync(object, JSON.stringify(detection('a')));
    expect(readDetectionsFile(object)).toMatchObject({ unreadable: true });
  });
});

describe('what the agent reports', () => {
  it('is threats_active while any listed threat was only detected', () => {
    expect(agentStatusOf([])).toBe('ok');
    expect(agentStatusOf([detection('a', 'removed'), detection('b', 'blocked')])).toBe('ok');
    expect(agentStatusOf([detection('a', 'removed'), detection('b', 'detected')])).toBe(
      'threats_active',
    );
  });

  it('sends each detection once, at most a batch at a time, in file order', () => {
    const listed = ['a', 'b', 'a', 'c', 'd'].map((id) => detection(id));
    expect(unsentDetections(listed, new Set(['b']), 10).map((d) => d.id)).toEqual(['a', 'c', 'd']);
    expect(unsentDetections(listed, new Set(), 2).map((d) => d.id)).toEqual(['a', 'b']);
    expect(unsentDetections(listed, new Set(['a', 'b', 'c', 'd']), 10)).toEqual([]);
  });
});
