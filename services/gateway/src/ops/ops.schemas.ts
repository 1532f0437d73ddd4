import {
  CONSOLE_KINDS,
  CONSOLE_STATUSES,
  createConsoleRequestSchema,
  extendTrialRequestSchema,
  idSchema,
  queryInt,
  siteChangesSchema,
  siteInputSchema,
} from '@warden/contracts';
import { z } from 'zod';

/** HTTP shapes of the ops API; the audit context and idempotency key come from the request itself. */
export const createConsoleBody = createConsoleRequestSchema.omit({
  audit: true,
  idempotencyKey: true,
});
export const createSiteBody = siteInputSchema;
/** `{ days }`, 1–365; strict, so an unsupported field (an end date) is refused, not ignored. */
export const extendTrialBody = extendTrialRequestSchema.pick({ days: true }).strict();
export const updateSiteBody = siteChangesSchema;

export const listConsolesQuery = z.object({
  status: z.enum(CONSOLE_STATUSES).optional(),
  kind: z.enum(CONSOLE_KINDS).optional(),
  name: z.string().max(200).optional(),
  limit: queryInt(1, 200).optional(),
  after: idSchema.optional(),
});

export const idempotencyKeyHeader = z.string().min(8).max(200).optional();
