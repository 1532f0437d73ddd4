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
