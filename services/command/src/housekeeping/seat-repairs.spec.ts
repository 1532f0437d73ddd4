import { planSeatRepairs, type SiteEndpoint } from './seat-repairs';

const now = new Date('2026-12-02T12:00:00.000Z');
const minAgeMs = 10 * 60_000;
const longAgo = '2026-12-01T12:00:00.000Z';
const justNow = '2026-12-02T11:59:00.000Z';

const lease = (hardwareKey: string, slot: number, claimedAt = longAgo) => ({
  hardwareKey,
  slot,
  claimedAt,
});
const endpoint = (
  hardwareKey: string,
  lifecycle: SiteEndpoint['lifecycle'] = 'active',
  enrolledAt = longAgo,
): SiteEndpoint => ({ deviceId: `device-${hardwareKey}`, hardwareKey, lifecycle, enrolledAt });

describe('planSeatRepairs', () => {
  it('repairs nothing when every seat-holding endpoint has its lease and no other lease exists', () => {
    const sut = planSeatRepairs(
      { seats: 5, slotRange: 5, leases: [lease('hw-a', 0), lease('hw-b', 3), lease('hw-c', 1)] },
      [
        endpoint('hw-a'),
        endpoint('hw-b', 'deactivation_pending'),
        endpoint('hw-c', 'removal_unverified'),
      ],
      now,
      minAgeMs,
    );

    expect(sut).toEqual({ release: [], claim: [], lowerSlotRange: false });
  });

  it('releases a settled lease whose device has no endpoint or a deactivated one', () => {
    const sut = planSeatRepairs(
      {
        seats: 5,
        slotRange: 5,
        leases: [lease('hw-gone', 0), lease('hw-off', 1), lease('hw-a', 2)],
      },
      [endpoint('hw-off', 'deactivated'), endpoint('hw-a')],
      now,
      minAgeMs,
    );

    expect(sut.release.map((l) => l.hardwareKey)).toEqual(['hw-gone', 'hw-off']);
    expect(sut.claim).toEqual([]);
  });

  it('claims for a settled seat-holding endpoint without a lease, never for a deactivated one', () => {
    const sut = planSeatRepairs(
      { seats: 5, slotRange: 5, leases: [] },
      [
        endpoint('hw-a'),
        endpoint('hw-b', 'deactivation_pending'),
        endpoint('hw-c', 'removal_unverified'),
        endpoint('hw-d', 'deactivated'),
      ],
      now,
      minAgeMs,
    );

    expect(sut.claim.map((e) => e.hardwareKey)).toEqual(['hw-a', 'hw-b', 'hw-c']);
    expect(sut.claim[0]!.deviceId).toBe('device-hw-a');
  });

  it('leaves a lease or an endpoint younger than the minimum age alone (an enrolment in flight)', () => {
    const sut = planSeatRepairs(
      { seats: 5, slotRange: 5, leases: [lease('hw-new-lease', 0, justNow)] },
      [endpoint('hw-new-endpoint', 'active', justNow)],
      now,
      minAgeMs,
    );

    expect(sut).toEqual({ release: [], claim: [], lowerSlotRange: false });
  });

  it('counts the minimum age inclusively', () => {
    const exactly = new Date(now.getTime() - minAgeMs).toISOString();

    const sut = planSeatRepairs(
      { seats: 5, slotRange: 5, leases: [lease('hw-x', 0, exactly)] },
      [],
      now,
      minAgeMs,
    );

    expect(sut.release).toHaveLength(1);
  });

  it('asks to lower the slot range only while it reaches beyond the seats', () => {
    const lowered = planSeatRepairs({ seats: 2, slotRange: 5, leases: [] }, [], now, minAgeMs);
    const raised = planSeatRepairs({ seats: 8, slotRange: 5, leases: [] }, [], now, minAgeMs);

    expect(lowered.lowerSlotRange).toBe(true);
    expect(raised.lowerSlotRange).toBe(false);
  });
});
