import type { MailMessage } from '@warden/contracts';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeMail, SpoolMailTransport } from './mail-transport';

const message: MailMessage = {
  messageId: '6f1c1d1e-3c7a-4d8e-9f00-000000000001',
  to: ['admin@example.co.jp'],
  subject: 'Warden アカウントの作成',
  text: '仮パスワード: Tmp-1234-abcd',
  language: 'ja',
  template: 'activation',
};

describe('composeMail', () => {
  it('derives Message-ID from the messageId and the sender domain, and states the language', () => {
    const sut = composeMail(message, 'Warden <no-reply@mail.example.com>');

    expect(sut).toMatchObject({
      from: 'Warden <no-reply@mail.example.com>',
      to: ['admin@example.co.jp'],
      messageId: `<${message.messageId}@mail.example.com>`,
      headers: { 'Content-Language': 'ja' },
    });
    expect(sut).not.toHaveProperty('html');
  });
});

describe('SpoolMailTransport', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'warden-spool-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes one file per messageId, named by time, template and id, and no partial file', async () => {
    const sut = new SpoolMailTransport(
      dir,
      'Warden <no-reply@warden.invalid>',
      () => new Date('2026-12-01T09:08:07.654Z'),
    );
    await sut.open();

    expect(await sut.deliver(message)).toBe('sent');
    expect(await sut.deliver(message)).toBe('already-sent');

    const name = `20261201T090807.654Z-activation-${message.messageId}.eml`;
    expect(await readdir(dir)).toEqual([name]);
    const eml = await readFile(join(dir, name), 'utf8');
    expect(eml).toMatch(/^Content-Language: ja$/m);
    expect(eml).toMatch(new RegExp(`^Message-ID: <${message.messageId}@warden.invalid>$`, 'm'));
    sut.close();
  });
});
