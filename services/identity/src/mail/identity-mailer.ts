import { Inject, Injectable } from '@nestjs/common';
import { derivedEventId, MailQueue } from '@warden/platform';
import type { IdentityConfig } from '../config';
import { IDENTITY_CONFIG } from '../identity.tokens';
import type { Language } from './language';
import {
  type ActivationMail,
  activationMail,
  type PasswordResetMail,
  passwordResetMail,
} from './templates';

/**
 * Renders identity's e-mails and hands them to the mail queue, which the
 * command service delivers with retries. Each message's id is derived from
 * what it is about (a link's id), so sending it again queues it once.
 */
@Injectable()
export class IdentityMailer {
  constructor(
    private readonly queue: MailQueue,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {}

  /** The page of the web console an activation or reset link opens. */
  link(kind: 'activation' | 'reset-password', token: string): string {
    return `${this.config.publicUrl}/${kind}/${token}`;
  }

  sendActivation(
    key: string,
    to: string,
    language: Language,
    content: Omit<ActivationMail, 'email'>,
  ): Promise<void> {
    const rendered = activationMail(language, { ...content, email: to });
    return this.queue.enqueue({
      messageId: derivedEventId(`mail:activation:${key}`),
      to: [to],
      language,
      template: 'activation',
      ...rendered,
    });
  }

  sendPasswordReset(
    key: string,
    to: string,
    language: Language,
    content: PasswordResetMail,
  ): Promise<void> {
    return this.queue.enqueue({
      messageId: derivedEventId(`mail:password-reset:${key}`),
      to: [to],
      language,
      template: 'password-reset',
      ...passwordResetMail(language, content),
    });
  }
}
