import { type ParsedMail, simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface CapturedMail {
  envelopeTo: string[];
  mail: ParsedMail;
}

/**
 * A real SMTP server in the test process: services send through their normal
 * SMTP client, and the test reads what actually arrived.
 */
export class TestSmtpServer {
  readonly messages: CapturedMail[] = [];
  private waiters: Array<() => void> = [];
  private port = 0;
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData: (stream, session, callback) => {
      simpleParser(stream).then(
        (mail) => {
          this.receive({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), mail });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });

  private constructor() {}

  /** On a free loopback port, or on `port` (a test of a server that comes back). */
  static async start(port = 0): Promise<TestSmtpServer> {
    const smtp = new TestSmtpServer();
    await new Promise<void>((done, fail) => {
      smtp.server.once('error', fail);
      smtp.server.listen(port, '127.0.0.1', () => done());
    });
    smtp.port = (smtp.server.server.address() as AddressInfo).port;
    return smtp;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Resolves with the first message (already received or still to come) that matches. */
  async waitFor(match: (m: CapturedMail) => boolean, timeoutMs = 5_000): Promise<CapturedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching mail within ${timeoutMs} ms`);
      await new Promise<void>((done) => {
        const timer = setTimeout(done, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          done();
        });
      });
    }
  }

  async stop(): Promise<void> {
    await new Promise<void>((done) => this.server.close(() => done()));
  }

  private receive(message: CapturedMail): void {
    this.messages.push(message);
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((wake) => wake());
  }
}
