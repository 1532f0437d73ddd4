import { freePorts, TestSmtpServer } from '@warden/testing';
import { simpleParser } from 'mailparser';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mailMessage, startMailPipeline, waitForFile } from './mail-harness';

describe('mail: MailQueue → command worker → SMTP', () => {
  let smtp: TestSmtpServer;
  let pipeline: Awaited<ReturnType<typeof startMailPipeline>>;

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    pipeline = await startMailPipeline({
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Warden <noreply@warden.test>',
    });
  });
  afterAll(async () => {
    await pipeline?.stop();
    await smtp?.stop();
  });

  it('delivers an enqueued message with its subject, text, language and Message-ID', async () => {
    const message = mailMessage({ html: '<p>仮パスワード: Tmp-1234-abcd</p>' });

    await pipeline.queue.enqueue(message);
    const received = await smtp.waitFor(
      (m) =>
        m.mail.subject === message.subject &&
        m.mail.messageId === `<${message.messageId}@warden.test>`,
    );

    expect(received.envelopeTo).toEqual(['admin@example.co.jp']);
    expect(received.mail.text?.trim()).toBe(message.text);
    expect(received.mail.html).toContain('仮パスワード');
    expect(received.mail.headers.get('content-language')).toBe('ja');
    expect(received.mail.from?.value).toEqual([{ name: 'Warden', address: 'noreply@warden.test' }]);
  });

  it('sends a message enqueued twice once, at once or after it was delivered', async () => {
    const message = mailMessage({
      language: 'en',
      subject: 'Reset your password',
      template: 'password-reset',
    });
    const isIt = (m: { mail: { messageId?: string } }) =>
      m.mail.messageId?.startsWith(`<${message.messageId}@`) === true;

    // Twice at once: one job (the messageId is its id).
    await Promise.all([pipeline.queue.enqueue(message), pipeline.queue.enqueue(message)]);
    await smtp.waitFor(isIt);
    const [first] = await pipeline.jobs.waitFor('completed', message.messageId);
    expect(first?.detail).toBe('sent');

    // Again once the job is gone: a new job, which finds the message delivered.
    await pipeline.queue.enqueue(message);
    const [, second] = await pipeline.jobs.waitFor('completed', message.messageId, 2);

    expect(second?.detail).toBe('already-sent');
    expect(smtp.messages.filter(isIt)).toHaveLength(1);
  });

  it('refuses a message that breaks the contract before it reaches the queue', async () => {
    await expect(pipeline.queue.enqueue(mailMessage({ to: ['not an address'] }))).rejects.toThrow();
  });
});

describe('mail: a mail server that is down for a while', () => {
  it('delivers once it is back, exactly once', async () => {
    const [port] = await freePorts(1); // free, and nothing listens there yet
    const pipeline = await startMailPipeline({
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      LOG_LEVEL: 'error', // the failed attempts are expected here
    });
    let smtp: TestSmtpServer | undefined;
    try {
      const message = mailMessage({ template: 'password-reset' });
      const isIt = (m: { mail: { messageId?: string } }) =>
        m.mail.messageId?.startsWith(`<${message.messageId}@`) === true;

      await pipeline.queue.enqueue(message);
      // An attempt failed and a retry is scheduled: the outage was met.
      await pipeline.jobs.waitFor('delayed', message.messageId);
      smtp = await TestSmtpServer.start(port);
      const received = await smtp.waitFor(isIt, 15_000);
      await pipeline.jobs.waitFor('completed', message.messageId);

      expect(received.mail.subject).toBe(message.subject);
      expect(smtp.messages.filter(isIt)).toHaveLength(1);
    } finally {
      await pipeline.stop();
      await smtp?.stop();
    }
  });
});

describe('mail: the spool folder (npm start)', () => {
  let dir: string;
  let pipeline: Awaited<ReturnType<typeof startMailPipeline>>;

  beforeAll(async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'warden-mail-')), 'spool'); // created by the worker
    pipeline = await startMailPipeline({ MAIL_SPOOL_DIR: dir });
  });
  afterAll(async () => {
    await pipeline?.stop();
    await rm(join(dir, '..'), { recursive: true, force: true });
  });

  it('writes one complete .eml file a mail reader can open', async () => {
    const message = mailMessage({
      language: 'en',
      subject: 'Your Warden account',
      template: 'activation',
    });

    await pipeline.queue.enqueue(message);
    const name = await waitForFile(dir, (n) => n.endsWith(`-activation-${message.messageId}.eml`));
    await pipeline.jobs.waitFor('completed', message.messageId);

    expect(name).toMatch(/^\d{8}T\d{6}\.\d{3}Z-activation-[0-9a-f-]{36}\.eml$/);
    expect((await stat(join(dir, name))).mode & 0o777).toBe(0o600);
    const mail = await simpleParser(await readFile(join(dir, name)));
    expect(mail.subject).toBe('Your Warden account');
    expect(mail.text?.trim()).toBe(message.text);
    expect(mail.headers.get('content-language')).toBe('en');
    expect(mail.messageId).toBe(`<${message.messageId}@warden.invalid>`);
    expect((await readdir(dir)).filter((n) => n.includes(message.messageId))).toEqual([name]);
  });
});
