import {
  BUILTIN_POLICY_IDS,
  consoleSettingsChangesSchema,
  emailAddressSchema,
  siteSettingsChangesSchema,
} from '@warden/contracts';
import { z } from 'zod';
import type { ConsoleSettings, Site } from '../../api/console-settings';

/** As many addresses as the API takes for a site's reports (libs/contracts' `emailList(10)`). */
export const MAX_REPORT_RECIPIENTS = 10;

/** What is wrong with a list of report recipients: the rule and the address that breaks it. */
export interface RecipientListProblem {
  rule: 'email' | 'duplicate_email' | 'max_length';
  address?: string;
}

/**
 * The first problem of a report distribution list, by the API's own rules:
 * each an e-mail address (the contracts' one pattern), each at most once
 * without regard to case, at most {@link MAX_REPORT_RECIPIENTS}.
 */
export function recipientListProblem(
  addresses: readonly string[],
): RecipientListProblem | undefined {
  const seen = new Set<string>();
  for (const address of addresses) {
    if (!emailAddressSchema.safeParse(address).success) return { rule: 'email', address };
    const key = address.toLowerCase();
    if (seen.has(key)) return { rule: 'duplicate_email', address };
    seen.add(key);
  }
  if (addresses.length > MAX_REPORT_RECIPIENTS) return { rule: 'max_length' };
  return undefined;
}

// The field rules are the API's (contracts' change schemas), so the browser
// refuses exactly what the gateway would.
const siteRules = siteSettingsChangesSchema.innerType().shape;
const consoleRules = consoleSettingsChangesSchema.innerType().shape;

export const siteFormSchema = z.object({
  name: siteRules.name.unwrap(),
  comment: siteRules.comment.unwrap(),
  defaultPolicyId: siteRules.defaultPolicyId.unwrap(),
  reportRecipients: z.array(z.string()).superRefine((addresses, context) => {
    const problem = recipientListProblem(addresses);
    if (problem) {
      context.addIssue({
        code: z.ZodIssueCode.custom,
        params: { rule: problem.rule },
        message: problem.address ?? '',
      });
    }
  }),
});
export type SiteForm = z.input<typeof siteFormSchema>;

export const consoleFormSchema = z.object({
  name: consoleRules.name.unwrap(),
  language: consoleRules.language.unwrap(),
  notSeenThresholdHours: consoleRules.notSeenThresholdHours.unwrap(),
});
export type ConsoleForm = z.input<typeof consoleFormSchema>;

/** A site's form values; a site that never chose a default policy has Recommended Defaults. */
export function siteFormOf(site: Site): SiteForm {
  return {
    name: site.name,
    comment: site.comment,
    defaultPolicyId: site.defaultPolicyId ?? BUILTIN_POLICY_IDS.recommended_defaults,
    reportRecipients: [...site.reportRecipients],
  };
}

export function consoleFormOf(detail: ConsoleSettings['console']): ConsoleForm {
  return {
    name: detail.name,
    language: detail.language,
    notSeenThresholdHours: detail.notSeenThresholdHours,
  };
}

/** One field a save changes, as the notification tells it: before → after. */
export type FieldChange<T> = {
  [K in keyof T]: { field: K; before: T[K]; after: T[K] };
}[keyof T];

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The fields of `after` that differ from `before` (a PATCH sends only these: the API refuses `{}`). */
export function changedFields<T extends object>(before: T, after: T): FieldChange<T>[] {
  return (Object.keys(after) as (keyof T)[])
    .filter((field) => !sameValue(before[field], after[field]))
    .map((field) => ({ field, before: before[field], after: after[field] }));
}

/** The PATCH body of these changes. */
export function patchOf<T>(changes: readonly FieldChange<T>[]): Partial<T> {
  return Object.fromEntries(changes.map(({ field, after }) => [field, after])) as Partial<T>;
}

/** The API's `reportRecipients.3` (one address of the list) belongs to the list's field. */
export const RECIPIENT_FIELD_RENAMES: Readonly<Record<string, 'reportRecipients'>> =
  Object.fromEntries(
    Array.from({ length: MAX_REPORT_RECIPIENTS + 1 }, (_, index) => [
      `reportRecipients.${index}`,
      'reportRecipients' as const,
    ]),
  );
