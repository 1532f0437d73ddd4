import { z } from 'zod';
import { eventMetaSchema } from '../event-meta';
import { idSchema } from '../ids';
import {
  CONSOLE_KINDS,
  CONSOLE_STATUSES,
  LANGUAGES,
  SEAT_ENFORCEMENTS,
  seatsSchema,
} from './licensing.schemas';

/*
 * Console and site lifecycle events: facts other services act on (identity,
 * inventory, command). They carry ids and the new values, never a keycode:
 * streams are kept on disk and readable by every consumer, and a keycode is an
 * enrolment credential. Whoever needs a site's keycode asks licensing
 * (`licensing.site.get.v1`), and a keycode's site `licensing.keycode.resolve.v1`
 * (docs/adr/0005).
 */

const consoleEvent = eventMetaSchema.extend({ consoleId: idSchema });
const siteEvent = eventMetaSchema.extend({ consoleId: idSchema, siteId: idSchema });

/** The last group of a keycode: enough to show which one, useless to enrol. */
export const keycodeSuffixSchema = z.string().regex(/^[A-Z0-9]{4}$/);

export const consoleCreatedEventSchema = consoleEvent.extend({
  name: z.string(),
  kind: z.enum(CONSOLE_KINDS),
  status: z.enum(CONSOLE_STATUSES),
  trialEndsAt: z.string().datetime().nullable(),
  language: z.enum(LANGUAGES),
});
export type ConsoleCreatedEvent = z.infer<typeof consoleCreatedEventSchema>;

/** Agents of a suspended console enrol no device and claim no seat. */
export const consoleSuspendedEventSchema = consoleEvent;
export type ConsoleSuspendedEvent = z.infer<typeof consoleSuspendedEventSchema>;

export const consoleResumedEventSchema = consoleEvent;
export type ConsoleResumedEvent = z.infer<typeof consoleResumedEventSchema>;

/** Trial → production: the console no longer has a trial end. */
export const consoleConvertedEventSchema = consoleEvent.extend({
  kind: z.literal('production'),
});
export type ConsoleConvertedEvent = z.infer<typeof consoleConvertedEventSchema>;

/** A trial's end moved later; an ended trial extended is usable again. */
export const consoleTrialExtendedEventSchema = consoleEvent.extend({
  trialEndsAt: z.string().datetime(),
  previousTrialEndsAt: z.string().datetime(),
  days: z.number().int().positive(),
});
export type ConsoleTrialExtendedEvent = z.infer<typeof consoleTrialExtendedEventSchema>;

/**
 * A console administrator changed console settings: only the settings that
 * changed are present (each changes by compare-and-set on its previous value,
 * so apply them in `occurredAt` order). Inventory derives "not seen recently"
 * from the threshold; identity and mail use the language and the name.
 */
export const consoleSettingsChangedEventSchema = consoleEvent
  .extend({
    name: z.string().optional(),
    language: z.enum(LANGUAGES).optional(),
    notSeenThresholdHours: z.number().int().positive().optional(),
  })
  .refine(
    (event) =>
      event.name !== undefined ||
      event.language !== undefined ||
      event.notSeenThresholdHours !== undefined,
    { message: 'a settings change changes at least one setting' },
  );
export type ConsoleSettingsChangedEvent = z.infer<typeof consoleSettingsChangedEventSchema>;

export const siteCreatedEventSchema = siteEvent.extend({
  name: z.string(),
  seats: seatsSchema,
  enforcement: z.enum(SEAT_ENFORCEMENTS),
  keycodeSuffix: keycodeSuffixSchema,
});
export type SiteCreatedEvent = z.infer<typeof siteCreatedEventSchema>;

/** The provider changed a site's purchased seats (leases are never evicted, ADR 0003). */
export const siteSeatsChangedEventSchema = siteEvent.extend({
  seats: seatsSchema,
  previousSeats: seatsSchema,
});
export type SiteSeatsChangedEvent = z.infer<typeof siteSeatsChangedEventSchema>;

/**
 * The site's keycode changed: the previous one no longer enrols new devices;
 * enrolled devices keep their seats. Drop anything cached for the old keycode.
 */
export const keycodeRotatedEventSchema = siteEvent.extend({
  keycodeSuffix: keycodeSuffixSchema,
  previousKeycodeSuffix: keycodeSuffixSchema,
});
export type KeycodeRotatedEvent = z.infer<typeof keycodeRotatedEventSchema>;
