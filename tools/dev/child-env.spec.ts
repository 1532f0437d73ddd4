import { childEnv, type RunSettings } from './child-env';

describe('childEnv (npm start)', () => {
  const settings: RunSettings = {
    natsUrl: 'nats://127.0.0.1:14222',
    mongodbUri: 'mongodb://127.0.0.1:27117',
    redisUrl: 'redis://127.0.0.1:16379',
    version: '0.1.0',
    logLevel: 'info',
    gateway: { host: '127.0.0.1', port: '8080', opsTokensFile: '/repo/.data/ops-tokens' },
  };
  const parentEnv = {
    PATH: '/usr/bin',
    HOME: '/home/dev',
    OPS_API_TOKENS: 'wdn_ops_secret_secret_secret_secret',
    AWS_SECRET_ACCESS_KEY: 'not-for-children',
    TRIAL_DAYS_DEFAULT: '14',
    RATE_LIMIT_OPS: '5000',
  };

  it('gives the gateway its own settings and a token file, never a token', () => {
    const sut = childEnv('gateway', settings, parentEnv);

    expect(sut).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/dev',
      NATS_URL: settings.natsUrl,
      LOG_LEVEL: 'info',
      WARDEN_VERSION: '0.1.0',
      HOST: '127.0.0.1',
      PORT: '8080',
      REDIS_URL: settings.redisUrl,
      OPS_API_TOKENS_FILE: '/repo/.data/ops-tokens',
      RATE_LIMIT_OPS: '5000',
    });
  });

  it('gives each domain service only what it reads: Redis to command alone', () => {
    const licensing = childEnv('licensing', settings, parentEnv);
    const command = childEnv('command', settings, parentEnv);

    expect(licensing).toMatchObject({ MONGODB_URI: settings.mongodbUri, TRIAL_DAYS_DEFAULT: '14' });
    expect(licensing['REDIS_URL']).toBeUndefined();
    expect(command['REDIS_URL']).toBe(settings.redisUrl);
    expect(command['TRIAL_DAYS_DEFAULT']).toBeUndefined();
    for (const env of [licensing, command]) {
      expect(JSON.stringify(env)).not.toMatch(/OPS_API|secret|AWS/);
    }
  });
});
