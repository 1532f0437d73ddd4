import { z } from 'zod';
import { baseEnvSchema, ConfigError, intFromEnv, mongoEnvSchema, parseEnv } from './parse-env';

describe('parseEnv', () => {
  const schema = baseEnvSchema.merge(mongoEnvSchema('licensing')).extend({
    TRIAL_DAYS_DEFAULT: intFromEnv(1, 365).default(30),
  });

  it('applies defaults for a bare environment', () => {
    const sut = parseEnv('licensing', schema, {});

    expect(sut).toMatchObject({
      NATS_URL: 'nats://127.0.0.1:4222',
      MONGODB_URI: 'mongodb://127.0.0.1:27017',
      MONGODB_DB: 'warden_licensing',
      LOG_LEVEL: 'info',
      RPC_TIMEOUT_MS: 5000,
      TRIAL_DAYS_DEFAULT: 30,
    });
  });

  it('coerces numbers from strings', () => {
    const sut = parseEnv('licensing', schema, { RPC_TIMEOUT_MS: '750', TRIAL_DAYS_DEFAULT: '14' });

    expect(sut.RPC_TIMEOUT_MS).toBe(750);
    expect(sut.TRIAL_DAYS_DEFAULT).toBe(14);
  });

  it('names every bad variable at once', () => {
    const parse = () =>
      parseEnv('licensing', schema, {
        NATS_URL: 'http://wrong-scheme',
        MONGODB_URI: 'not a url',
        LOG_LEVEL: 'loud',
        TRIAL_DAYS_DEFAULT: 'soon',
      });

    expect(parse).toThrow(ConfigError);
    try {
      parse();
    } catch (error) {
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/^NATS_URL: must be a URL starting with nats:\/\//m);
      expect(problems).toMatch(/^MONGODB_URI: /m);
      expect(problems).toMatch(/^LOG_LEVEL: /m);
      expect(problems).toMatch(/^TRIAL_DAYS_DEFAULT: must be a number/m);
      expect((error as ConfigError).message).toContain('licensing: invalid configuration');
    }
  });

  it('rejects numbers out of range and fractions', () => {
    const numbers = z.object({ N: intFromEnv(1, 10) });

    expect(() => parseEnv('s', numbers, { N: '0' })).toThrow(/N: /);
    expect(() => parseEnv('s', numbers, { N: '11' })).toThrow(/N: /);
    expect(() => parseEnv('s', numbers, { N: '2.5' })).toThrow(/N: must be a whole number/);
  });

  it('rejects database names MongoDB would refuse', () => {
    expect(() => parseEnv('s', mongoEnvSchema('s'), { MONGODB_DB: 'a.b' })).toThrow(/MONGODB_DB/);
  });
});
