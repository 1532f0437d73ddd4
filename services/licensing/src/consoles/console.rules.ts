import type { Console, SeatUsage } from '@warden/contracts';
import { DomainError } from '@warden/platform';
import type { ConsoleRecord } from './console.repository';

const DAY_MS = 24 * 60 * 60 * 1000;

export function trialEnd(createdAt: Date, trialDays: number): Date {
  return new Date(createdAt.getTime() + trialDays * DAY_MS);
}

export function isTrialExpired(record: ConsoleRecord, now: Date): boolean {
  return record.kind === 'trial' && record.trialEndsAt !== null && record.trialEndsAt <= now;
}

/** A suspended console, or a trial past its end, enrols no device and claims no seat. */
export function assertConsoleMayEnrol(record: ConsoleRecord, now = new Date()): void {
  if (record.status === 'suspended') {
    throw new DomainError('CONSOLE_SUSPENDED', 'this console is suspended', {
      consoleId: record._id,
    });
  }
  if (isTrialExpired(record, now)) {
    throw new DomainError('CONSOLE_TRIAL_EXPIRED', 'the trial of this console has ended', {
      consoleId: record._id,
      trialEndsAt: record.trialEndsAt?.toISOString(),
    });
  }
}

export function toConsoleView(record: ConsoleRecord, now = new Date()): Console {
  return {
    id: record._id,
    name: record.name,
    kind: record.kind,
    status: record.status,
    trialEndsAt: record.trialEndsAt?.toISOString() ?? null,
    trialExpired: isTrialExpired(record, now),
    language: record.language,
    notSeenThresholdHours: record.notSeenThresholdHours,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}

export function seatUsage(seats: number, used: number): SeatUsage {
  return {
    seats,
    used,
    free: Math.max(0, seats - used),
    overage: Math.max(0, used - seats),
  };
}

export function totalUsage(usages: SeatUsage[]): SeatUsage {
  return usages.reduce(
    (sum, u) => ({
      seats: sum.seats + u.seats,
      used: sum.used + u.used,
      free: sum.free + u.free,
      overage: sum.overage + u.overage,
    }),
    { seats: 0, used: 0, free: 0, overage: 0 },
  );
}
