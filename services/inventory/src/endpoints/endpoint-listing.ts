import type { EndpointFilter, EndpointSortKey, EndpointStatus } from '@warden/contracts';
import { createHash } from 'node:crypto';
import { cursorInvalid } from '../inventory.errors';
import {
  effectivePolicyQuery,
  type GroupPolicies,
  STATUS_ORDER,
  statusQuery,
} from './endpoint-status';
import type { EndpointQuery } from './endpoint.repository';

/**
 * How a sort runs as plain queries. A sort is a list of classes, each a query
 * of its own, read one after the other; within a class endpoints are ordered
 * by one stored field, then `_id`, and paged by keyset (`field > last or
 * field = last and _id > last id`), never by skip.
 *
 * Stored values (hostname, group, OS, version, dates) are one class. The
 * derived ones are several: by status, one class per status in the order of
 * `ENDPOINT_STATUSES`, each the exact query of `statusQuery`; by policy, one
 * class per effective policy in the order of the policies' names, each the
 * exact query of `effectivePolicyQuery`; within them by hostname. So nothing
 * derived is stored or sorted in memory, every page reads at most `limit + 1`
 * endpoints plus one (limited) query per class it crosses, and this works the
 * same on mongo-java-server (no `$switch`, no 4.2+ stages) as on MongoDB.
 * Never infected endpoints (`lastInfectionAt` null) are a class of their own,
 * first in ascending order, as MongoDB sorts null.
 */
export interface SortClass {
  /** Names the class in a cursor, so a new class (a new policy) does not shift the others. */
  key: string;
  query: EndpointQuery;
  field: string;
}

const STORED_FIELDS: Partial<Record<EndpointSortKey, string>> = {
  hostname: 'hostnameLower',
  group: 'groupNameLower',
  os: 'osSort',
  agentVersion: 'agentVersion',
  lastSeenAt: 'lastSeenAt',
  enrolledAt: 'enrolledAt',
};

export function sortClasses(
  sort: EndpointSortKey,
  order: 'asc' | 'desc',
  context: {
    notSeenBefore: Date;
    groupPolicies: GroupPolicies;
    /** Effective policy ids in the order of their names (for the `policy` sort). */
    policiesInOrder: readonly string[];
  },
): SortClass[] {
  let classes: SortClass[];
  const stored = STORED_FIELDS[sort];
  if (stored) {
    classes = [{ key: 'all', query: {}, field: stored }];
  } else if (sort === 'lastInfectionAt') {
    classes = [
      { key: 'never', query: { lastInfectionAt: null }, field: 'hostnameLower' },
      { key: 'some', query: { lastInfectionAt: { $ne: null } }, field: 'lastInfectionAt' },
    ];
  } else if (sort === 'status') {
    classes = STATUS_ORDER.map((status: EndpointStatus) => ({
      key: status,
      query: statusQuery(status, context.notSeenBefore),
      field: 'hostnameLower',
    }));
  } else {
    classes = context.policiesInOrder.map((policyId) => ({
      key: policyId,
      query: effectivePolicyQuery(policyId, context.groupPolicies),
      field: 'hostnameLower',
    }));
  }
  return order === 'asc' ? classes : [...classes].reverse();
}

/** Where the previous page ended: its last endpoint's class, sort value and id. */
export interface CursorPosition {
  classKey: string;
  value: string | Date;
  id: string;
}

interface CursorWire {
  /** The request the cursor was made for (site, filter, sort, order). */
  r: string;
  c: string;
  v: string;
  d: boolean;
  i: string;
}

/** Binds a cursor to the site, filter, sort and order it was made for. */
export function requestTag(request: {
  siteId?: string | undefined;
  filter: EndpointFilter;
  sort: EndpointSortKey;
  order: 'asc' | 'desc';
}): string {
  const filter = Object.fromEntries(
    Object.entries(request.filter)
      .filter(([, value]) => value !== undefined)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, value]) => [key, Array.isArray(value) ? [...value].sort() : value]),
  );
  return createHash('sha256')
    .update(JSON.stringify([request.siteId ?? null, filter, request.sort, request.order]))
    .digest('base64url')
    .slice(0, 16);
}

export function encodeCursor(tag: string, position: CursorPosition): string {
  const wire: CursorWire = {
    r: tag,
    c: position.classKey,
    v: position.value instanceof Date ? position.value.toISOString() : position.value,
    d: position.value instanceof Date,
    i: position.id,
  };
  return Buffer.from(JSON.stringify(wire)).toString('base64url');
}

/** CURSOR_INVALID when malformed or made for another request. */
export function decodeCursor(cursor: string, tag: string): CursorPosition {
  let wire: Partial<CursorWire>;
  try {
    wire = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<CursorWire>;
  } catch {
    throw cursorInvalid();
  }
  if (
    wire === null ||
    typeof wire !== 'object' ||
    wire.r !== tag ||
    typeof wire.c !== 'string' ||
    typeof wire.v !== 'string' ||
    typeof wire.i !== 'string'
  ) {
    throw cursorInvalid();
  }
  const value = wire.d ? new Date(wire.v) : wire.v;
  if (value instanceof Date && Number.isNaN(value.getTime())) throw cursorInvalid();
  return { classKey: wire.c, value, id: wire.i };
}

/** The endpoints after `position` within its class, in the class's order. */
export function after(field: string, position: CursorPosition, direction: 1 | -1): EndpointQuery {
  const beyond = direction === 1 ? '$gt' : '$lt';
  return {
    $or: [
      { [field]: { [beyond]: position.value } },
      { [field]: position.value, _id: { [beyond]: position.id } },
    ],
  };
}

/** The table's filters as one query (the console and sites are added by the caller). */
export function filterQuery(
  filter: EndpointFilter,
  context: { notSeenBefore: Date; groupPolicies: GroupPolicies },
): EndpointQuery[] {
  const parts: EndpointQuery[] = [];
  if (filter.groupId) parts.push({ groupId: filter.groupId.toLowerCase() });
  if (filter.q) parts.push({ hostnameLower: { $regex: escapeRegex(filter.q.toLowerCase()) } });
  if (filter.status) {
    parts.push({ $or: filter.status.map((s) => statusQuery(s, context.notSeenBefore)) });
  }
  if (filter.policyId) {
    parts.push(effectivePolicyQuery(filter.policyId.toLowerCase(), context.groupPolicies));
  }
  return parts;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
