import {
  MAIL_BACKOFF_TYPE,
  MAIL_RETRY,
  mailBackoffStrategy,
  mailJobOptions,
  mailRetryDelayMs,
} from './mail-queue';

describe('mail retries', () => {
  const hours = (ms: number) => ms / 3_600_000;
  const totalWait = (random: () => number) =>
    Array.from({ length: MAIL_RETRY.attempts - 1 }, (_, i) =>
      mailRetryDelayMs(i + 1, MAIL_RETRY.baseMs, random),
    ).reduce((sum, ms) => sum + ms, 0);

  it('outlast a mail-server outage of several hours, as documented (7 to 14 h)', () => {
    expect(hours(totalWait(() => 0))).toBeGreaterThanOrEqual(7);
    expect(hours(totalWait(() => 1))).toBeLessThanOrEqual(14.2);
  });

  it('start at about 2 s and never wait more than an hour between attempts', () => {
    expect(mailRetryDelayMs(1, MAIL_RETRY.baseMs, () => 1)).toBe(2_000);
    expect(mailRetryDelayMs(24, MAIL_RETRY.baseMs, () => 1)).toBe(3_600_000);
  });

  it('take the base delay from the job, as the producer set it', () => {
    const opts = mailJobOptions('6f1c1d1e-3c7a-4d8e-9f00-000000000001', 50);
    const delay = mailBackoffStrategy(3, MAIL_BACKOFF_TYPE, undefined, {
      opts,
    } as Parameters<typeof mailBackoffStrategy>[3]);

    expect(delay).toBeGreaterThanOrEqual(100);
    expect(delay).toBeLessThanOrEqual(200);
  });

  it('keep nothing of a delivered mail, and a failed one for a week', () => {
    const sut = mailJobOptions('6f1c1d1e-3c7a-4d8e-9f00-000000000001', 2_000);

    expect(sut).toMatchObject({
      jobId: '6f1c1d1e-3c7a-4d8e-9f00-000000000001',
      attempts: 25,
      removeOnComplete: true,
      removeOnFail: { age: 7 * 24 * 3600 },
    });
  });
});
