import { effectivePolicyOf, statusOf } from './endpoint-status';

const NOW = new Date('2026-12-02T09:00:00Z');
const THRESHOLD = new Date('2026-12-01T09:00:00Z');

describe('statusOf', () => {
  it('puts the lifecycle first, then infected, then not seen recently, else protected', () => {
    const stale = new Date('2026-11-01T00:00:00Z');
    expect(
      statusOf({ lifecycle: 'deactivated', infectedSince: NOW, lastSeenAt: stale }, THRESHOLD),
    ).toBe('deactivated');
    expect(
      statusOf({ lifecycle: 'active', infectedSince: NOW, lastSeenAt: stale }, THRESHOLD),
    ).toBe('infected');
    expect(statusOf({ lifecycle: 'active', lastSeenAt: stale }, THRESHOLD)).toBe(
      'not_seen_recently',
    );
    expect(statusOf({ lifecycle: 'active', infectedSince: null, lastSeenAt: NOW }, THRESHOLD)).toBe(
      'protected',
    );
  });
});

describe('effectivePolicyOf', () => {
  const groups = new Map<string, string | null>([
    ['g-with', 'group-policy'],
    ['g-without', null],
  ]);

  it('takes the endpoint’s own, else its group’s, else its site’s captured default', () => {
    const sut = { ownPolicyId: null, groupId: 'g-with', sitePolicyId: 'site-policy' };
    expect(effectivePolicyOf({ ...sut, ownPolicyId: 'own' }, groups)).toEqual({
      policyId: 'own',
      source: 'endpoint',
    });
    expect(effectivePolicyOf(sut, groups)).toEqual({ policyId: 'group-policy', source: 'group' });
    expect(effectivePolicyOf({ ...sut, groupId: 'g-without' }, groups)).toEqual({
      policyId: 'site-policy',
      source: 'site',
    });
    expect(effectivePolicyOf({ ...sut, groupId: 'unknown' }, groups).source).toBe('site');
  });
});
