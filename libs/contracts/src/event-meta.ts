import { z } from 'zod';

/**
 * Fields every domain event carries (docs/adr/0005). `eventId` is also the
 * JetStream message id, so a publish retried with the same event is stored
 * once; consumers use it to recognise a redelivery.
 */
export const eventMetaSchema = z.object({
  /** Unique per fact; the de-duplication key on publish and on consume. */
  eventId: z.string().uuid(),
  /** When the change happened (the write it reports), not when it was delivered. */
  occurredAt: z.string().datetime(),
});
export type EventMeta = z.infer<typeof eventMetaSchema>;
