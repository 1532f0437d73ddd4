import { endpointsLink, latestThreat, seatShare } from './dashboard';

describe('the dashboard’s figures', () => {
  it('links a status count to the site’s endpoints filtered to it', () => {
    expect(endpointsLink('s-1', 'infected')).toBe('/endpoints?site=s-1&status=infected');
    expect(endpointsLink('s-1')).toBe('/endpoints?site=s-1');
  });

  it('shows seats used as a share of those purchased, an overage as full', () => {
    expect([
      seatShare({ seats: 50, used: 10 }),
      seatShare({ seats: 3, used: 4 }),
      seatShare({ seats: 0, used: 0 }),
      seatShare({ seats: 0, used: 1 }),
    ]).toEqual([20, 100, 0, 100]);
  });

  it('names the threat detected last', () => {
    expect(
      latestThreat([
        { threatName: 'Old', detectedAt: '2026-01-01T00:00:00.000Z' },
        { threatName: 'New', detectedAt: '2026-02-01T00:00:00.000Z' },
        { threatName: 'Middle', detectedAt: '2026-01-15T00:00:00.000Z' },
      ]),
    ).toBe('New');
    expect(latestThreat([])).toBeUndefined();
  });
});
