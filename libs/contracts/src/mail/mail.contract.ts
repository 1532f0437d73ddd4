import { z } from 'zod';
import { emailAddressSchema } from '../text';

/**
 * One e-mail to send, as a job on the BullMQ queue `QUEUES.mail`. The service
 * that has something to say renders it (it knows the words and the language);
 * the command service's mail worker only delivers it, retrying with backoff
 * until the mail server takes it. `messageId` is the job id, so enqueueing the
 * same message twice sends it once.
 */
export const mailMessageSchema = z.object({
  messageId: z.string().uuid(),
  to: z.array(emailAddressSchema).min(1).max(20),
  subject: z.string().min(1).max(500),
  text: z.string().min(1).max(100_000),
  html: z.string().max(200_000).optional(),
  /** `ja` or `en`: the Content-Language of the message. */
  language: z.enum(['ja', 'en']),
  /** What kind of message, for logs and metrics (`activation`, `password-reset`…); never its content. */
  template: z.string().regex(/^[a-z-]{1,64}$/),
});
export type MailMessage = z.infer<typeof mailMessageSchema>;
