import type { MailMessage } from '@warden/contracts';
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTransport, type Transporter } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import addressparser from 'nodemailer/lib/addressparser';
import type { MailConfig } from '../config';

/** What one delivery did: handed over, or found already done (a retry after a crash). */
export type Delivery = 'sent' | 'already-sent';

/** Where the mail worker hands messages: an SMTP server, or a spool folder. */
export interface MailTransport {
  /** A short description for the start-up log; never a password. */
  readonly description: string;
  /** Ready to deliver (the spool folder exists); an error here stops start-up. */
  open(): Promise<void>;
  /** Resolves once the message is taken; rejects for a retry. */
  deliver(message: MailMessage): Promise<Delivery>;
  close(): void;
}

// Never read files or URLs a message might point at: mail content is data.
const NO_FETCHING = { disableFileAccess: true, disableUrlAccess: true } as const;

/**
 * The message as it goes out. `Message-ID` comes from the job's messageId, so
 * every attempt (and a copy a server keeps after a retry) is recognisably one
 * message; `Content-Language` says which language it is written in.
 */
export function composeMail(message: MailMessage, from: string): Mail.Options {
  return {
    from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    ...(message.html === undefined ? {} : { html: message.html }),
    messageId: `<${message.messageId}@${domainOf(from)}>`,
    headers: { 'Content-Language': message.language },
  };
}

function domainOf(from: string): string {
  const address = addressparser(from, { flatten: true }).find((a) => a.address.includes('@'));
  return address?.address.split('@').pop() || 'warden.invalid';
}

/** Sends through an SMTP server (`SMTP_URL`), a new connection per message. */
export class SmtpMailTransport implements MailTransport {
  readonly description: string;
  private readonly smtp: Transporter;

  constructor(
    url: string,
    private readonly from: string,
  ) {
    const parsed = new URL(url);
    this.description = `SMTP ${parsed.protocol}//${parsed.host}`;
    this.smtp = createTransport({
      url,
      ...NO_FETCHING,
      // A server that does not answer fails the attempt (and it is retried)
      // instead of holding a worker slot, or a shutdown, for minutes.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
  }

  open(): Promise<void> {
    return Promise.resolve();
  }

  async deliver(message: MailMessage): Promise<Delivery> {
    await this.smtp.sendMail(composeMail(message, this.from));
    return 'sent';
  }

  close(): void {
    this.smtp.close();
  }
}

/**
 * Writes each message as `<time>-<template>-<messageId>.eml` into a folder
 * (`MAIL_SPOOL_DIR`, local development): complete files only (written beside
 * and renamed into place), one per messageId however often it is delivered.
 */
export class SpoolMailTransport implements MailTransport {
  readonly description: string;
  private readonly composer = createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'unix',
    ...NO_FETCHING,
  });

  constructor(
    private readonly dir: string,
    private readonly from: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.description = `spool ${dir}`;
  }

  async open(): Promise<void> {
    // The files hold temporary passwords and sign-in links: the owner's only.
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
  }

  async deliver(message: MailMessage): Promise<Delivery> {
    const suffix = `-${message.messageId}.eml`;
    const existing = await readdir(this.dir);
    if (existing.some((name) => name.endsWith(suffix))) return 'already-sent';

    const info = await this.composer.sendMail(composeMail(message, this.from));
    if (!Buffer.isBuffer(info.message)) throw new Error('spool: the message was not buffered');
    // Basic ISO 8601 (no colons, which some file systems refuse); sorts by time.
    const time = this.now().toISOString().replace(/[-:]/g, '');
    const file = join(this.dir, `${time}-${message.template}${suffix}`);
    const partial = join(this.dir, `.${message.messageId}.${process.pid}.tmp`);
    await writeFile(partial, info.message, { mode: 0o600 });
    await rename(partial, file);
    return 'sent';
  }

  close(): void {
    this.composer.close();
  }
}

export function createMailTransport(config: MailConfig): MailTransport {
  switch (config.transport.kind) {
    case 'smtp':
      return new SmtpMailTransport(config.transport.url, config.from);
    case 'spool':
      return new SpoolMailTransport(config.transport.dir, config.from);
  }
}
