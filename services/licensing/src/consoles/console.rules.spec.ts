import { type DomainError } from '@warden/platform';
import type { ConsoleRecord } from './console.repository';
import { assertConsoleMayEnrol, seatUsage, toConsoleView, trialEnd } from './console.rules';

const created = new Date('2026-11-01T00:00:00Z');

function consoleRecord(overrides: Partial<ConsoleRecord> = {}): ConsoleRecord {
  return {
    _id: '01a220bb-fa6f-7e89-93ff-c65991995eb2',
    idempotencyKey: 'key-12345678',
    requestFingerprint: 'fingerprint',
    name: 'Example KK',
    kind: 'trial',
    status: 'active',
    trialEndsAt: trialEnd(created, 30),
    language: 'ja',
    notSeenThresholdHours: 72,
    createdAt: created,
    updatedAt: created,
    ...overrides,
  };
}

describe('console rules', () => {
  it('ends a trial after its number of days', () => {
    expect(trialEnd(created, 30).toISOString()).toBe('2026-12-01T00:00:00.000Z');
  });

  it('lets an active trial enrol until its last moment, and not after', () => {
    const sut = consoleRecord();

    expect(() => assertConsoleMayEnrol(sut, new Date('2026-11-30T23:59:59Z'))).not.toThrow();
    expect(() => assertConsoleMayEnrol(sut, new Date('2026-12-01T00:00:00Z'))).toThrow(
      expect.objectContaining({ code: 'CONSOLE_TRIAL_EXPIRED' }) as DomainError,
    );
    expect(toConsoleView(sut, new Date('2026-12-02T00:00:00Z')).trialExpired).toBe(true);
  });

  it('never expires a production console', () => {
    const sut = consoleRecord({ kind: 'production', trialEndsAt: null });

    expect(() => assertConsoleMayEnrol(sut, new Date('2099-01-01T00:00:00Z'))).not.toThrow();
  });

  it('refuses a suspended console first, whatever its trial', () => {
    const sut = consoleRecord({ status: 'suspended' });

    expect(() => assertConsoleMayEnrol(sut, created)).toThrow(
      expect.objectContaining({ code: 'CONSOLE_SUSPENDED' }) as DomainError,
    );
  });

  it('reports usage with overage and never negative free seats', () => {
    expect(seatUsage(10, 4)).toEqual({ seats: 10, used: 4, free: 6, overage: 0 });
    expect(seatUsage(3, 5)).toEqual({ seats: 3, used: 5, free: 0, overage: 2 });
  });
});
