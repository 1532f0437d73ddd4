import { defineEvent, defineRpc, type ParsedRequestOf } from '../contract';
import { auditEventSchema } from '../audit/audit.contract';
import {
  consoleConvertedEventSchema,
  consoleCreatedEventSchema,
  consoleResumedEventSchema,
  consoleSettingsChangedEventSchema,
  consoleSuspendedEventSchema,
  consoleTrialExtendedEventSchema,
  keycodeRotatedEventSchema,
  siteCreatedEventSchema,
  siteSeatsChangedEventSchema,
} from './licensing.events';
import {
  consoleCommandSchema,
  consoleDetailSchema,
  housekeepingSitePageSchema,
  listAllSitesRequestSchema,
  lowerSlotRangeReplySchema,
  siteLeasesPageRequestSchema,
  siteLeasesRequestSchema,
  siteLeasesSchema,
  consoleListSchema,
  consoleSchema,
  consoleSettingsRequestSchema,
  replaceDefaultPolicyReplySchema,
  replaceDefaultPolicyRequestSchema,
  sitesUsingPolicyRequestSchema,
  sitesUsingPolicySchema,
  updateConsoleSettingsRequestSchema,
  updateSiteSettingsRequestSchema,
  createConsoleRequestSchema,
  createSiteRequestSchema,
  extendTrialRequestSchema,
  listConsolesRequestSchema,
  resolvedKeycodeSchema,
  resolveKeycodeRequestSchema,
  rotateKeycodeRequestSchema,
  seatClaimRequestSchema,
  enrolmentSeatRequestSchema,
  enrolmentSeatSchema,
  seatLeaseSchema,
  seatMoveRequestSchema,
  seatReleaseReplySchema,
  seatReleaseRequestSchema,
  siteRefSchema,
  siteSchema,
  updateSiteRequestSchema,
} from './licensing.schemas';

/** Consoles, sites, keycodes and seat leases: everything the licensing service answers. */
export const licensingRpc = {
  createConsole: defineRpc(
    'licensing.console.create.v1',
    createConsoleRequestSchema,
    consoleDetailSchema,
  ),
  getConsole: defineRpc('licensing.console.get.v1', consoleCommandSchema, consoleDetailSchema),
  listConsoles: defineRpc(
    'licensing.console.list.v1',
    listConsolesRequestSchema,
    consoleListSchema,
  ),
  suspendConsole: defineRpc('licensing.console.suspend.v1', consoleCommandSchema, consoleSchema),
  resumeConsole: defineRpc('licensing.console.resume.v1', consoleCommandSchema, consoleSchema),
  convertConsole: defineRpc('licensing.console.convert.v1', consoleCommandSchema, consoleSchema),
  /** Moves a trial's end later; idempotent per key. */
  extendTrial: defineRpc(
    'licensing.console.extend-trial.v1',
    extendTrialRequestSchema,
    consoleSchema,
  ),

  createSite: defineRpc('licensing.site.create.v1', createSiteRequestSchema, siteSchema),
  getSite: defineRpc('licensing.site.get.v1', siteRefSchema, siteSchema),
  updateSite: defineRpc('licensing.site.update.v1', updateSiteRequestSchema, siteSchema),
  rotateKeycode: defineRpc('licensing.keycode.rotate.v1', rotateKeycodeRequestSchema, siteSchema),
  /** Enrolment gate: the keycode's site, if its console may enrol devices now. */
  resolveKeycode: defineRpc(
    'licensing.keycode.resolve.v1',
    resolveKeycodeRequestSchema,
    resolvedKeycodeSchema,
  ),

  /** Console API: the caller's own console, its sites and usage (console from the caller). */
  getConsoleSettings: defineRpc(
    'licensing.console-settings.get.v1',
    consoleSettingsRequestSchema,
    consoleDetailSchema,
  ),
  updateConsoleSettings: defineRpc(
    'licensing.console-settings.update.v1',
    updateConsoleSettingsRequestSchema,
    consoleSchema,
  ),
  /** Console API: a site of the caller's console; another console's site is SITE_NOT_FOUND. */
  getSiteSettings: defineRpc('licensing.site-settings.get.v1', siteRefSchema, siteSchema),
  updateSiteSettings: defineRpc(
    'licensing.site-settings.update.v1',
    updateSiteSettingsRequestSchema,
    siteSchema,
  ),

  /** Policy's where-used: the sites whose default endpoint policy it is. */
  sitesUsingPolicy: defineRpc(
    'licensing.site.using-policy.v1',
    sitesUsingPolicyRequestSchema,
    sitesUsingPolicySchema,
  ),
  /** Policy's delete with a replacement: those sites' default becomes the replacement. */
  replaceDefaultPolicy: defineRpc(
    'licensing.site.replace-default-policy.v1',
    replaceDefaultPolicyRequestSchema,
    replaceDefaultPolicyReplySchema,
  ),

  claimSeat: defineRpc('licensing.seat.claim.v1', seatClaimRequestSchema, seatLeaseSchema),
  /**
   * `resolveKeycode` then `claimSeat` in one call (the enrolment path): one
   * round trip, and the site and its console read once.
   */
  claimSeatByKeycode: defineRpc(
    'licensing.seat.claim-by-keycode.v1',
    enrolmentSeatRequestSchema,
    enrolmentSeatSchema,
  ),
  releaseSeat: defineRpc(
    'licensing.seat.release.v1',
    seatReleaseRequestSchema,
    seatReleaseReplySchema,
  ),
  /** Change keycode: claims in the target first, then releases the source. */
  moveSeat: defineRpc('licensing.seat.move.v1', seatMoveRequestSchema, seatLeaseSchema),
  lookupSeat: defineRpc('licensing.seat.lookup.v1', seatClaimRequestSchema, seatLeaseSchema),

  // Housekeeping (the command service's jobs; system caller).
  listAllSites: defineRpc(
    'licensing.site.list-all.v1',
    listAllSitesRequestSchema,
    housekeepingSitePageSchema,
  ),
  siteLeases: defineRpc('licensing.seat.list.v1', siteLeasesPageRequestSchema, siteLeasesSchema),
  lowerSlotRange: defineRpc(
    'licensing.site.lower-slot-range.v1',
    siteLeasesRequestSchema,
    lowerSlotRangeReplySchema,
  ),
} as const;

/** The validated request a licensing handler receives for one of the subjects above. */
export type LicensingRequest<K extends keyof typeof licensingRpc> = ParsedRequestOf<
  (typeof licensingRpc)[K]
>;

/**
 * What licensing publishes, durably on its JetStream stream `WARDEN_LICENSING`
 * (docs/adr/0005). The stream holds exactly these subjects: request/reply
 * subjects share the `licensing.` prefix and must stay off it.
 */
export const licensingEvents = {
  auditRecorded: defineEvent('licensing.audit.recorded.v1', auditEventSchema),
  consoleCreated: defineEvent('licensing.console.created.v1', consoleCreatedEventSchema),
  consoleSuspended: defineEvent('licensing.console.suspended.v1', consoleSuspendedEventSchema),
  consoleResumed: defineEvent('licensing.console.resumed.v1', consoleResumedEventSchema),
  consoleConverted: defineEvent('licensing.console.converted.v1', consoleConvertedEventSchema),
  consoleTrialExtended: defineEvent(
    'licensing.console.trial-extended.v1',
    consoleTrialExtendedEventSchema,
  ),
  consoleSettingsChanged: defineEvent(
    'licensing.console.settings-changed.v1',
    consoleSettingsChangedEventSchema,
  ),
  siteCreated: defineEvent('licensing.site.created.v1', siteCreatedEventSchema),
  siteSeatsChanged: defineEvent('licensing.site.seats-changed.v1', siteSeatsChangedEventSchema),
  keycodeRotated: defineEvent('licensing.keycode.rotated.v1', keycodeRotatedEventSchema),
} as const;
