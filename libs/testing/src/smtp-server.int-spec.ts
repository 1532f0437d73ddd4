import { createTransport } from 'nodemailer';
import { TestSmtpServer } from './smtp-server';

describe('TestSmtpServer', () => {
  let sut: TestSmtpServer;

  beforeAll(async () => {
    sut = await TestSmtpServer.start();
  });
  afterAll(async () => {
    await sut.stop();
  });

  it('receives what a real SMTP client sends, and waits for mail still to come', async () => {
    const transport = createTransport({ url: sut.url });
    const arriving = sut.waitFor((m) => m.mail.subject === 'アカウントの作成');

    await transport.sendMail({
      from: 'noreply@warden.test',
      to: 'admin@example.co.jp',
      subject: 'アカウントの作成',
      text: '仮パスワード: abc123xyz',
    });

    const received = await arriving;
    expect(received.envelopeTo).toEqual(['admin@example.co.jp']);
    expect(received.mail.text).toContain('仮パスワード');
    transport.close();
  });

  it('fails clearly when the awaited mail never comes', async () => {
    await expect(sut.waitFor((m) => m.mail.subject === 'never', 100)).rejects.toThrow(
      /no matching mail within 100 ms/,
    );
  });
});
