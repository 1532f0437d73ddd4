import { pickPositions } from './login.service';

describe('security-code positions', () => {
  it('are two different 1-based positions within the code', () => {
    for (let i = 0; i < 500; i++) {
      const [a, b] = pickPositions(6, []);
      expect(a).not.toBe(b);
      expect(a! >= 1 && a! <= 6 && b! >= 1 && b! <= 6).toBe(true);
    }
  });

  it('never repeat the pair asked last time', () => {
    for (let i = 0; i < 500; i++) expect(pickPositions(6, [2, 5])).not.toEqual([2, 5]);
  });

  it('cover every pair over many attempts', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 3_000; i++) seen.add(pickPositions(6, []).join(','));
    expect(seen.size).toBe(30);
  });
});
