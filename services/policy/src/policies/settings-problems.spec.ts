import { validateSettingsPatch } from '@warden/contracts';
import { settingsRejected } from './settings-problems';

describe('settingsRejected', () => {
  const problemsOf = (patch: unknown) => {
    const checked = validateSettingsPatch(patch);
    if (checked.ok) throw new Error('expected problems');
    return checked.problems;
  };

  it('names the setting, the rule and the allowed values, per field', () => {
    const sut = settingsRejected(
      problemsOf({ basic: { poll_interval: '5m' }, nowhere: {} }),
      'patch.settings',
    );
    expect(sut.code).toBe('VALIDATION_FAILED');
    expect(sut.message).toContain('basic.poll_interval must be one of: 15m');
    expect(sut.details?.['fields']).toEqual({
      'patch.settings.basic.poll_interval': ['invalid_value'],
      'patch.settings.nowhere': ['unknown_section'],
    });
    expect(sut.details?.['issues']).toContainEqual(
      expect.objectContaining({
        setting: 'basic.poll_interval',
        allowed: { values: ['15m', '30m', '1h', '2h', '4h', '6h', '12h', 'daily'] },
      }),
    );
  });

  it('puts a problem of the whole patch on the prefix itself', () => {
    const sut = settingsRejected(problemsOf('everything'), 'patch.settings');
    expect(sut.details?.['fields']).toEqual({ 'patch.settings': ['not_an_object'] });
  });
});
