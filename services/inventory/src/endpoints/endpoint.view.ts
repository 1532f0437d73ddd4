import type { Detection, EndpointDetail, EndpointSummary, OsFamily } from '@warden/contracts';
import { effectivePolicyOf, type GroupPolicies, statusOf, withName } from './endpoint-status';
import type { EndpointRecord, EndpointRow } from './endpoint.repository';

export interface ViewContext {
  notSeenBefore: Date;
  groupPolicies: GroupPolicies;
  policyNames: ReadonlyMap<string, string>;
}

/** The one place a stored endpoint meets the wire. */
export function toEndpointSummary(row: EndpointRow, context: ViewContext): EndpointSummary {
  return {
    id: row._id,
    siteId: row.siteId,
    groupId: row.groupId,
    groupName: row.groupName,
    hostname: row.hostname,
    os: { family: row.osFamily as OsFamily, version: row.osVersion },
    agentVersion: row.agentVersion,
    status: statusOf(row, context.notSeenBefore),
    policy: withName(effectivePolicyOf(row, context.groupPolicies), context.policyNames),
    enrolledAt: row.enrolledAt.toISOString(),
    lastSeenAt: row.lastSeenAt.toISOString(),
    lastInfectionAt: row.lastInfectionAt?.toISOString() ?? null,
  };
}

interface StoredDetection {
  _id: string;
  agentDetectionId: string;
  threatName: string;
  path: string;
  hash: string;
  actionTaken: Detection['actionTaken'];
  detectedAt: Date;
  receivedAt: Date;
}

export function toEndpointDetail(record: EndpointRecord, context: ViewContext): EndpointDetail {
  const detections = (record.recentDetections as unknown as StoredDetection[])
    .map((d): Detection => ({
      id: d._id,
      agentDetectionId: d.agentDetectionId,
      threatName: d.threatName,
      path: d.path,
      hash: d.hash,
      actionTaken: d.actionTaken,
      detectedAt: new Date(d.detectedAt).toISOString(),
      receivedAt: new Date(d.receivedAt).toISOString(),
    }))
    .sort((a, b) => b.detectedAt.localeCompare(a.detectedAt) || b.id.localeCompare(a.id));
  return {
    ...toEndpointSummary(record, context),
    ownPolicyId: record.ownPolicyId ?? null,
    ip: record.ip ?? null,
    mac: record.mac ?? null,
    infectedSince: record.infectedSince?.toISOString() ?? null,
    detections,
  };
}
