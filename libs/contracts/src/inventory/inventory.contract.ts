import { z } from 'zod';
import { AUDIT_EVENT_CONTRACTS } from '../audit/audit-sources';
import { defineEvent, defineRpc, type ParsedRequestOf } from '../contract';
import { eventMetaSchema } from '../event-meta';
import { idSchema } from '../ids';
import {
  commandTargetsSchema,
  createGroupRequestSchema,
  deviceByHardwareKeyRequestSchema,
  deviceFactsSchema,
  markStaleReplySchema,
  markStaleRequestSchema,
  resolveCommandTargetsRequestSchema,
  retireEndpointReplySchema,
  retireEndpointRequestSchema,
  setLifecycleReplySchema,
  setLifecycleRequestSchema,
  siteDevicesRequestSchema,
  siteDevicesSchema,
  siteReportRequestSchema,
  siteReportSchema,
  deleteGroupReplySchema,
  deviceCredentialsSchema,
  deviceRequestSchema,
  endpointDetailSchema,
  endpointPageSchema,
  endpointRequestSchema,
  endpointStatusCountsSchema,
  endpointSummarySchema,
  enrolledDeviceSchema,
  enrollRequestSchema,
  groupListSchema,
  groupRequestSchema,
  groupSchema,
  inventoryPolicyUsageSchema,
  listEndpointsRequestSchema,
  moveEndpointsReplySchema,
  moveEndpointsRequestSchema,
  policyEndpointCountsRequestSchema,
  policyEndpointCountsSchema,
  policyUsageRequestSchema,
  recordCheckinsReplySchema,
  recordCheckinsRequestSchema,
  recordDetectionsReplySchema,
  recordDetectionsRequestSchema,
  replacePolicyReplySchema,
  replacePolicyRequestSchema,
  setEndpointPolicyRequestSchema,
  siteRequestSchema,
  updateGroupRequestSchema,
} from './inventory.schemas';

/** Endpoints, groups and detections (DESIGN §2, §3 journeys 9–10, §7). */
export const inventoryRpc = {
  // The agent path, called by the gateway.
  /** Keycode → seat (licensing) → endpoint; idempotent per (site, hardwareKey). */
  enroll: defineRpc('inventory.endpoint.enroll.v1', enrollRequestSchema, enrolledDeviceSchema),
  /** What the gateway caches to authenticate a device's token and answer its check-ins. */
  deviceCredentials: defineRpc(
    'inventory.device.credentials.v1',
    deviceRequestSchema,
    deviceCredentialsSchema,
  ),
  /** Many check-ins' last-seen in one message and one bulk write. */
  recordCheckins: defineRpc(
    'inventory.endpoint.record-checkins.v1',
    recordCheckinsRequestSchema,
    recordCheckinsReplySchema,
  ),
  recordDetections: defineRpc(
    'inventory.detection.record.v1',
    recordDetectionsRequestSchema,
    recordDetectionsReplySchema,
  ),

  // The console API (console from the caller; site access re-checked).
  listEndpoints: defineRpc(
    'inventory.endpoint.list.v1',
    listEndpointsRequestSchema,
    endpointPageSchema,
  ),
  endpointStatusCounts: defineRpc(
    'inventory.endpoint.status-counts.v1',
    siteRequestSchema,
    endpointStatusCountsSchema,
  ),
  getEndpoint: defineRpc('inventory.endpoint.get.v1', endpointRequestSchema, endpointDetailSchema),
  setEndpointPolicy: defineRpc(
    'inventory.endpoint.set-policy.v1',
    setEndpointPolicyRequestSchema,
    endpointSummarySchema,
  ),
  moveEndpoints: defineRpc(
    'inventory.endpoint.move.v1',
    moveEndpointsRequestSchema,
    moveEndpointsReplySchema,
  ),
  listGroups: defineRpc('inventory.group.list.v1', siteRequestSchema, groupListSchema),
  createGroup: defineRpc('inventory.group.create.v1', createGroupRequestSchema, groupSchema),
  updateGroup: defineRpc('inventory.group.update.v1', updateGroupRequestSchema, groupSchema),
  deleteGroup: defineRpc('inventory.group.delete.v1', groupRequestSchema, deleteGroupReplySchema),

  // Policy's where-used and delete-with-replacement.
  policyUsage: defineRpc(
    'inventory.policy.usage.v1',
    policyUsageRequestSchema,
    inventoryPolicyUsageSchema,
  ),
  policyEndpointCounts: defineRpc(
    'inventory.policy.endpoint-counts.v1',
    policyEndpointCountsRequestSchema,
    policyEndpointCountsSchema,
  ),
  replacePolicy: defineRpc(
    'inventory.policy.replace.v1',
    replacePolicyRequestSchema,
    replacePolicyReplySchema,
  ),

  // Agent commands and housekeeping (the command service asks; issue 12).
  deviceFacts: defineRpc('inventory.device.facts.v1', deviceRequestSchema, deviceFactsSchema),
  deviceByHardwareKey: defineRpc(
    'inventory.device.find-by-hardware-key.v1',
    deviceByHardwareKeyRequestSchema,
    deviceFactsSchema,
  ),
  resolveCommandTargets: defineRpc(
    'inventory.endpoint.resolve-targets.v1',
    resolveCommandTargetsRequestSchema,
    commandTargetsSchema,
  ),
  setLifecycle: defineRpc(
    'inventory.endpoint.set-lifecycle.v1',
    setLifecycleRequestSchema,
    setLifecycleReplySchema,
  ),
  retireEndpoint: defineRpc(
    'inventory.endpoint.retire.v1',
    retireEndpointRequestSchema,
    retireEndpointReplySchema,
  ),
  markStale: defineRpc(
    'inventory.endpoint.mark-stale.v1',
    markStaleRequestSchema,
    markStaleReplySchema,
  ),
  siteDevices: defineRpc('inventory.site.devices.v1', siteDevicesRequestSchema, siteDevicesSchema),
  siteReport: defineRpc('inventory.site.report.v1', siteReportRequestSchema, siteReportSchema),
} as const;

export type InventoryRequest<K extends keyof typeof inventoryRpc> = ParsedRequestOf<
  (typeof inventoryRpc)[K]
>;

/**
 * Devices whose credentials or effective policy changed (re-enrolment, a new
 * group or policy, a move): every gateway drops them from its cache (ADR
 * 0011). `deviceIds: null` means every device of the console.
 */
export const devicesChangedEventSchema = eventMetaSchema.extend({
  consoleId: idSchema,
  deviceIds: z.array(idSchema).nullable(),
});
export type DevicesChangedEvent = z.infer<typeof devicesChangedEventSchema>;

export const endpointEnrolledEventSchema = eventMetaSchema.extend({
  consoleId: idSchema,
  siteId: idSchema,
  deviceId: idSchema,
  hostname: z.string(),
  reinstalled: z.boolean(),
});
export type EndpointEnrolledEvent = z.infer<typeof endpointEnrolledEventSchema>;

/** What inventory publishes, durably on `WARDEN_INVENTORY` (docs/adr/0005). */
export const inventoryEvents = {
  auditRecorded: AUDIT_EVENT_CONTRACTS.inventory,
  devicesChanged: defineEvent('inventory.devices.changed.v1', devicesChangedEventSchema),
  endpointEnrolled: defineEvent('inventory.endpoint.enrolled.v1', endpointEnrolledEventSchema),
} as const;
