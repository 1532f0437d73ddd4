import { ConfigError } from '@warden/platform';
import { loadCommandConfig } from './config';

describe('command config: mail', () => {
  it('sends by SMTP when SMTP_URL is set, from the default sender', () => {
    const sut = loadCommandConfig({ SMTP_URL: 'smtps://user:secret@mail.example.com:465' });

    expect(sut.mail).toEqual({
      transport: { kind: 'smtp', url: 'smtps://user:secret@mail.example.com:465' },
      from: 'Warden <no-reply@warden.invalid>',
      queuePrefix: 'bull',
    });
  });

  it('writes .eml files when MAIL_SPOOL_DIR is set (an empty SMTP_URL counts as unset)', () => {
    const sut = loadCommandConfig({ MAIL_SPOOL_DIR: '/var/spool/warden', SMTP_URL: '' });

    expect(sut.mail.transport).toEqual({ kind: 'spool', dir: '/var/spool/warden' });
  });

  it.each([
    [{}, /SMTP_URL: set SMTP_URL .* or MAIL_SPOOL_DIR/],
    [
      { SMTP_URL: 'smtp://mail:25', MAIL_SPOOL_DIR: '/tmp/mail' },
      /only one of SMTP_URL and MAIL_SPOOL_DIR/,
    ],
    [
      { SMTP_URL: 'http://mail:25' },
      /SMTP_URL: must be a URL starting with smtp:\/\/ or smtps:\/\//,
    ],
    [{ MAIL_SPOOL_DIR: 'mail' }, /MAIL_SPOOL_DIR: must be an absolute path/],
    [{ SMTP_URL: 'smtp://mail:25', MAIL_FROM: 'nobody' }, /MAIL_FROM: must be one address/],
    [{ SMTP_URL: 'smtp://mail:25', MAIL_QUEUE_PREFIX: 'a:b' }, /MAIL_QUEUE_PREFIX: /],
  ])('refuses %j, naming the variable', (env, problem) => {
    expect(() => loadCommandConfig(env)).toThrow(ConfigError);
    expect(() => loadCommandConfig(env)).toThrow(problem);
  });
});

describe('command config: jobs', () => {
  const mail = { SMTP_URL: 'smtp://mail:25' };

  it('has production timings by default, in milliseconds', () => {
    expect(loadCommandConfig(mail).jobs).toEqual({
      queuePrefix: 'warden',
      deactivationGraceMs: 15 * 60 * 1000,
      commandExpiryMs: 14 * 24 * 60 * 60 * 1000,
      confirmationTtlMs: 15 * 60 * 1000,
      housekeepingEveryMs: 5 * 60 * 1000,
      reconcileEveryMs: 60 * 60 * 1000,
      reconcileMinAgeMs: 10 * 60 * 1000,
      reportCron: '0 8 * * *',
    });
  });

  it('takes a cron pattern for the reports', () => {
    expect(loadCommandConfig({ ...mail, REPORT_CRON: '30 6 * * 1-5' }).jobs.reportCron).toBe(
      '30 6 * * 1-5',
    );
  });

  it.each([
    [{ REPORT_CRON: 'every morning' }, /REPORT_CRON: must be a cron pattern/],
    [{ REPORT_CRON: '0 25 * * *' }, /REPORT_CRON: must be a cron pattern/],
    [{ DEACTIVATION_GRACE_SECONDS: '0' }, /DEACTIVATION_GRACE_SECONDS/],
    [{ JOB_QUEUE_PREFIX: 'a:b' }, /JOB_QUEUE_PREFIX/],
  ])('refuses %j, naming the variable', (env, problem) => {
    expect(() => loadCommandConfig({ ...mail, ...env })).toThrow(problem);
  });
});
