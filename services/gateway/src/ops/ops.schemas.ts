import {
  administratorInputSchema,
  administratorSchema,
  CONSOLE_KINDS,
  CONSOLE_STATUSES,
  consoleDetailSchema,
  createConsoleRequestSchema,
  emailAddressSchema,
  emailList,
  extendTrialRequestSchema,
  idSchema,
  phoneSchema,
  queryInt,
  seatUsageSchema,
  siteChangesSchema,
  siteInputSchema,
} from '@warden/contracts';
import { z } from 'zod';
import { idInput } from '../http/id-param';
import { documentAs } from '../http/openapi';

const MAX_REPORT_RECIPIENTS = 10;

/** The contract's one e-mail rule, documented as `format: email` plus its pattern. */
const emailAddress = documentAs(emailAddressSchema, { format: 'email' });

/**
 * The contract's phone rule, documented with what it checks in code too
 * (at least 6 digits) so the document refuses `((((((` as the server does.
 */
documentAs(phoneSchema, {
  pattern: '^(?=\\+?[0-9 ()-]{6,31}$)\\+?[ ()-]*(?:[0-9][ ()-]*){6,}$',
});

/** Then the contract's own list rule: each address once, compared without regard to case. */
const reportRecipients = z
  .array(emailAddress)
  .max(MAX_REPORT_RECIPIENTS)
  .describe('each address at most once, compared without regard to case')
  .pipe(emailList(MAX_REPORT_RECIPIENTS));

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
  siteChangesSchema
    .innerType()
    .extend({ reportRecipients: reportRecipients.optional() })
    .refine((patch) => Object.keys(patch).length > 0, { message: 'nothing to change' }),
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
