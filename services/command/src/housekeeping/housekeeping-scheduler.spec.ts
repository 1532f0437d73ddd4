import { scheduledTimeOf } from './housekeeping-scheduler';

describe('scheduledTimeOf', () => {
  it("reads a scheduler's run from its job id, whichever copy added it", () => {
    const sut = scheduledTimeOf({
      id: 'repeat:housekeeping-reports:1764662400000',
      data: {},
      timestamp: 1764662399123,
    });

    expect(sut.toISOString()).toBe('2025-12-02T08:00:00.000Z');
  });

  it('takes the tick a run added by hand stands for', () => {
    const sut = scheduledTimeOf({
      id: 'now-0193e0c4-0000-7000-8000-000000000000',
      data: { scheduledAt: '2026-12-02T08:00:00.000Z' },
      timestamp: 1,
    });

    expect(sut.toISOString()).toBe('2026-12-02T08:00:00.000Z');
  });

  it('falls back to when the job was added', () => {
    const sut = scheduledTimeOf({ id: 'other', data: {}, timestamp: 1764662400000 });

    expect(sut.getTime()).toBe(1764662400000);
  });
});
