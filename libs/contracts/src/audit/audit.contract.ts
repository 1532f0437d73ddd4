import { z } from 'zod';
import { actorSchema } from '../caller';
import { eventMetaSchema } from '../event-meta';

/**
 * One audit event (DESIGN §2). Published durably by the service that made the
 * change as `<service>.audit.recorded.v1` (docs/adr/0005); identity stores them.
 * Built and validated before the write it reports, published after it.
 */
export const auditEventSchema = eventMetaSchema.extend({
  actor: actorSchema,
  sourceIp: z.string().optional(),
  consoleId: z.string().nullable(),
  siteId: z.string().nullable(),
  /** `<entity>.<verb>`, e.g. `console.suspended`, `seat.claimed`. */
  action: z.string().regex(/^[a-z-]+\.[a-z-]+$/),
  target: z.object({ type: z.string(), id: z.string() }),
  outcome: z.enum(['success', 'failure']),
  before: z.record(z.unknown()).nullable(),
  after: z.record(z.unknown()).nullable(),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;
