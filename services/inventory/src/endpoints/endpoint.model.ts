import { defineModel, type RecordOf } from '@warden/platform';

/**
 * An enrolled device. Its status is never stored as text: it is derived when
 * read (`endpoint-status.ts`) from `lifecycle`, `infectedSince` and
 * `lastSeenAt`. Its effective policy is `ownPolicyId ?? group's policy ??
 * sitePolicyId` (the site's default captured at enrolment, so a later change
 * of the site default reaches new endpoints only).
 */
export const EndpointModel = defineModel(
  'Endpoint',
  'endpoints',
  {
    /** The device id (the first part of its token). */
    _id: { type: String, required: true },
    consoleId: { type: String, required: true },
    siteId: { type: String, required: true },
    hardwareKey: { type: String, required: true },
    hostname: { type: String, required: true },
    /** For substring search and sorting without collation. */
    hostnameLower: { type: String, required: true },
    osFamily: { type: String, required: true },
    osVersion: { type: String, required: true },
    /** `<family> <version>` in lower case: sorting by OS is one plain field. */
    osSort: { type: String, required: true },
    agentVersion: { type: String, required: true },
    groupId: { type: String, required: true },
    /** Denormalised (updated on rename): sorting by group is a plain sort. */
    groupName: { type: String, required: true },
    groupNameLower: { type: String, required: true },
    /** Set by an administrator; null: the endpoint follows its group, then its site. */
    ownPolicyId: { type: String, default: null },
    /** The site's default policy when the device enrolled. */
    sitePolicyId: { type: String, required: true },
    /** `ENDPOINT_LIFECYCLES`: `active` until a deactivation command moves it on. */
    lifecycle: { type: String, required: true },
    /**
     * The last lifecycle change: when, by which command, and the id of the
     * write that made it, so a compare-and-set over many endpoints can tell
     * the ones it changed from those another writer changed meanwhile.
     */
    lifecycleChangedAt: { type: Date },
    lifecycleCommandId: { type: String },
    lifecycleChangeId: { type: String },
    /**
     * Set by the housekeeping pass that found the endpoint past its console's
     * "not seen recently" threshold (audited once), cleared by the pass that
     * finds it seen again; never touched by the check-in path.
     */
    staleMarkedAt: { type: Date },
    /** SHA-256 (hex) of the device token's secret; a re-enrolment replaces it. */
    tokenSha256: { type: String, required: true },
    ip: { type: String, default: null },
    mac: { type: String, default: null },
    enrolledAt: { type: Date, required: true },
    lastSeenAt: { type: Date, required: true },
    lastInfectionAt: { type: Date, default: null },
    /**
     * Set by an unremediated detection, removed by a later `status: 'ok'`
     * check-in. Absent rather than null when not infected: `$min` sets a
     * missing field but keeps a null.
     */
    infectedSince: { type: Date },
    /**
     * When the newest unremediated detection was received: an `ok` check-in
     * clears the infection only if it was seen after this, so an `ok` sent
     * before a new detection but written after it never hides it.
     */
    infectionReportedAt: { type: Date },
    /** The newest detections received (at most 100), so the detail page is one `_id` read. */
    recentDetections: { type: [Object], default: [] },
  },
  (schema) => {
    schema.index({ siteId: 1, hardwareKey: 1 }, { unique: true });
    // Trivially unique (so is `_id`): it lets the local database answer a
    // lifecycle compare-and-set `{_id, lifecycle}` from an index (DESIGN §9).
    schema.index({ _id: 1, lifecycle: 1 }, { unique: true, name: 'lifecycle_cas' });
    // For the console's tables on MongoDB (mongo-java-server scans regardless).
    schema.index({ consoleId: 1, siteId: 1, hostnameLower: 1 });
    schema.index({ consoleId: 1, groupId: 1 });
    schema.index({ consoleId: 1, ownPolicyId: 1 });
    schema.index({ consoleId: 1, sitePolicyId: 1 });
  },
);
export type EndpointRecord = RecordOf<typeof EndpointModel>;
