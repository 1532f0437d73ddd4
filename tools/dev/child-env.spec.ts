import { childEnv, DEMO_DEACTIVATION_GRACE_SECONDS, type RunSettings } from './child-env';

describe('childEnv (npm start)', () => {
  const settings: RunSettings = {
    natsUrl: 'nats://127.0.0.1:14222',
    mongodbUri: 'mongodb://127.0.0.1:27117',
    redisUrl: 'redis://127.0.0.1:16379',
    version: '0.1.0',
    logLevel: 'info',
    gateway: {
      host: '127.0.0.1',
      port: '8080',
      opsTokensFile: '/repo/.data/ops-tokens',
      agentDistDir: '/repo/tools/dist/agent',
    },
    publicUrl: 'http://127.0.0.1:8080',
    mailSpoolDir: '/repo/.data/mail',
    secrets: {
      accessTokenSigningKey: 'SIGNING-private-key',
      accessTokenVerifyKey: 'VERIFY-public-key',
      secretsEncryptionKey: 'ENCRYPTION-key',
    },
  };
  const parentEnv = {
    PATH: '/usr/bin',
    HOME: '/home/dev',
    OPS_API_TOKENS: 'wdn_ops_secret_secret_secret_secret',
    AWS_SECRET_ACCESS_KEY: 'not-for-children',
    TRIAL_DAYS_DEFAULT: '14',
    RATE_LIMIT_OPS: '5000',
    RATE_LIMIT_SIGN_IN: '100',
    LOGIN_MAX_FAILURES: '3',
    ACCESS_TOKEN_TTL_SECONDS: '120',
  };
  const all = ['gateway', 'identity', 'policy', 'inventory', 'licensing', 'command'] as const;

  it('gives the gateway its own settings, a token file (never a token) and only the verify key', () => {
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
      PUBLIC_URL: 'http://127.0.0.1:8080',
      AGENT_DIST_DIR: '/repo/tools/dist/agent',
      ACCESS_TOKEN_VERIFY_KEY: 'VERIFY-public-key',
      RATE_LIMIT_OPS: '5000',
      RATE_LIMIT_SIGN_IN: '100',
    });
  });

  it('gives each domain service only what it reads: Redis to command and identity alone', () => {
    const licensing = childEnv('licensing', settings, parentEnv);
    const command = childEnv('command', settings, parentEnv);
    const identity = childEnv('identity', settings, parentEnv);

    expect(licensing).toMatchObject({ MONGODB_URI: settings.mongodbUri, TRIAL_DAYS_DEFAULT: '14' });
    expect(licensing['REDIS_URL']).toBeUndefined();
    expect(command['REDIS_URL']).toBe(settings.redisUrl);
    expect(identity['REDIS_URL']).toBe(settings.redisUrl);
    expect(command['TRIAL_DAYS_DEFAULT']).toBeUndefined();
    for (const env of [licensing, command, identity]) {
      expect(JSON.stringify(env)).not.toMatch(/OPS_API|secret|AWS/);
    }
  });

  it('gives identity the public URL, its sign-in tuning and its two keys, and no other service those keys', () => {
    // (The gateway gets the public URL too, for agent bundles: see its own test.)
    const identity = childEnv('identity', settings, parentEnv);

    expect(identity).toMatchObject({
      PUBLIC_URL: 'http://127.0.0.1:8080',
      ACCESS_TOKEN_SIGNING_KEY: 'SIGNING-private-key',
      SECRETS_ENCRYPTION_KEY: 'ENCRYPTION-key',
      LOGIN_MAX_FAILURES: '3',
      ACCESS_TOKEN_TTL_SECONDS: '120',
    });
    expect(identity['ACCESS_TOKEN_VERIFY_KEY']).toBeUndefined();
    for (const service of all.filter((s) => s !== 'identity')) {
      const env = JSON.stringify(childEnv(service, settings, parentEnv));
      expect(env).not.toMatch(/SIGNING|ENCRYPTION|LOGIN_MAX_FAILURES/);
      if (service !== 'gateway') expect(env).not.toMatch(/PUBLIC_URL/);
    }
  });

  it('lets secrets the developer set win over the stored ones', () => {
    const mine = {
      ...parentEnv,
      ACCESS_TOKEN_SIGNING_KEY: 'my-key',
      ACCESS_TOKEN_VERIFY_KEY: 'my-pub',
    };

    expect(childEnv('identity', settings, mine)['ACCESS_TOKEN_SIGNING_KEY']).toBe('my-key');
    expect(childEnv('identity', settings, mine)['SECRETS_ENCRYPTION_KEY']).toBe('ENCRYPTION-key');
    expect(childEnv('gateway', settings, mine)['ACCESS_TOKEN_VERIFY_KEY']).toBe('my-pub');
  });

  it('sends mail to the spool folder, or through SMTP_URL when the developer set one (command alone)', () => {
    const spool = childEnv('command', settings, parentEnv);
    const smtpUrl = 'smtps://me:pw@mail.example.com:465';
    const smtp = childEnv('command', settings, {
      ...parentEnv,
      SMTP_URL: smtpUrl,
      MAIL_FROM: 'Me <me@example.com>',
    });

    expect(spool['MAIL_SPOOL_DIR']).toBe('/repo/.data/mail');
    expect(spool['SMTP_URL']).toBeUndefined();
    expect(smtp).toMatchObject({ SMTP_URL: smtpUrl, MAIL_FROM: 'Me <me@example.com>' });
    expect(smtp['MAIL_SPOOL_DIR']).toBeUndefined();
    for (const service of all.filter((s) => s !== 'command')) {
      const env = childEnv(service, settings, { ...parentEnv, SMTP_URL: smtpUrl });
      expect(JSON.stringify(env)).not.toMatch(/SMTP_URL|MAIL_SPOOL_DIR|mail\.example/);
    }
  });

  it('gives the demo a deactivation grace period of a minute, unless the developer set one', () => {
    expect(childEnv('command', settings, parentEnv)['DEACTIVATION_GRACE_SECONDS']).toBe(
      DEMO_DEACTIVATION_GRACE_SECONDS,
    );
    const mine = { ...parentEnv, DEACTIVATION_GRACE_SECONDS: '5', REPORT_CRON: '*/5 * * * *' };
    expect(childEnv('command', settings, mine)).toMatchObject({
      DEACTIVATION_GRACE_SECONDS: '5',
      REPORT_CRON: '*/5 * * * *',
    });
    expect(childEnv('inventory', settings, mine)['REPORT_CRON']).toBeUndefined();
  });
});
