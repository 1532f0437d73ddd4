import {
  addProviderSupportRequestSchema,
  administratorInputSchema,
  administratorSchema,
  CONSOLE_KINDS,
  CONSOLE_STATUSES,
  consoleDetailSchema,
  createConsoleRequestSchema,
  extendTrialRequestSchema,
  idSchema,
  queryInt,
  seatUsageSchema,
  siteChangesSchema,
  siteInputSchema,
  somethingToChange,
} from '@warden/contracts';
import { z } from 'zod';
import { idInput } from '../http/id-param';
import { documentAs } from '../http/openapi';
import { reportRecipients } from '../http/shared.schemas';

/**
 * HTTP shapes of the ops API; the caller and idempotency key come from
 * the request itself. Every body is strict: an unknown property is refused
 * with VALIDATION_FAILED naming it, never dropped.
 */
export const createSiteBody = siteInputSchema
  .extend({ reportRecipients: reportRecipients.default([]) })
  .strict();
/**
 * The console's first administrators (the contract address and an optional
 * service address), as identity's contract takes them (1–2), each strict.
 */
const initialAdministrators = z
  .array(administratorInputSchema.strict())
  .min(1)
  .max(2)
  .describe(
    'the contract address, and optionally a service address: each gets an activation e-mail',
  );

export const createConsoleBody = createConsoleRequestSchema
  .omit({ caller: true, idempotencyKey: true })
  .extend({ site: createSiteBody, administrators: initialAdministrators })
  .strict();
/** `{ days }`, 1–365; strict, so an unsupported field (an end date) is refused, not ignored. */
export const extendTrialBody = extendTrialRequestSchema.pick({ days: true }).strict();
/** At least one change: `{}` is refused, and the document says so (`minProperties: 1`). */
export const updateSiteBody = documentAs(
  somethingToChange(
    siteChangesSchema.innerType().extend({ reportRecipients: reportRecipients.optional() }),
  ),
  { minProperties: 1 },
);

export const listConsolesQuery = z
  .object({
    status: z.enum(CONSOLE_STATUSES).optional(),
    kind: z.enum(CONSOLE_KINDS).optional(),
    name: z.string().max(200).optional(),
    limit: queryInt(1, 200).optional(),
    after: idInput.optional(),
  })
  .strict();

/** The provider's support administrator of a console (a super admin customers cannot remove). */
export const addProviderSupportBody = addProviderSupportRequestSchema
  .omit({ caller: true, consoleId: true, idempotencyKey: true })
  .strict();

/** Replies the gateway composes itself; the others are the services' contract schemas. */
export const openedConsoleReply = consoleDetailSchema.extend({
  administrators: z.array(administratorSchema),
});

export const consoleUsageReply = z.object({
  consoleId: idSchema,
  usage: seatUsageSchema,
  sites: z.array(z.object({ siteId: idSchema, name: z.string(), usage: seatUsageSchema })),
});
export const siteUsageReply = z.object({ siteId: idSchema, usage: seatUsageSchema });
