import { emailAddressSchema, emailList, phoneSchema } from '@warden/contracts';
import { z } from 'zod';
import { documentAs } from './openapi';

/**
 * Contract rules as both HTTP APIs (console and ops) take and document them.
 * Imported by every module of HTTP shapes, so each rule is documented the
 * same way whichever controller is declared first.
 */

const MAX_REPORT_RECIPIENTS = 10;

/** The contract's one e-mail rule, documented as `format: email` plus its pattern. */
export const emailAddress = documentAs(emailAddressSchema, { format: 'email' });

/**
 * The contract's phone rule, documented with what it checks in code too
 * (at least 6 digits) so the document refuses `((((((` as the server does.
 */
export const phone = documentAs(phoneSchema, {
  pattern: '^(?=\\+?[0-9 ()-]{6,31}$)\\+?[ ()-]*(?:[0-9][ ()-]*){6,}$',
});

/** Then the contract's own list rule: each address once, compared without regard to case. */
export const reportRecipients = z
  .array(emailAddress)
  .max(MAX_REPORT_RECIPIENTS)
  .describe('each address at most once, compared without regard to case')
  .pipe(emailList(MAX_REPORT_RECIPIENTS));

/** A comma-separated list of some of `values` (any of them), read as the list without repeats. */
export function commaSeparated<T extends string>(values: readonly T[]) {
  const any = values.join('|');
  return z
    .string()
    .regex(new RegExp(`^(${any})(,(${any}))*$`), `a comma-separated list of ${values.join(', ')}`)
    .describe(`comma-separated, any of: ${values.join(', ')}`)
    .transform((list) => [...new Set(list.split(','))] as T[]);
}
