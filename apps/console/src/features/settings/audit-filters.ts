import type { paths } from '../../api/schema';
import type { Reply } from '../../api/client';

export type AuditQuery = NonNullable<paths['/api/v1/audit-events']['get']['parameters']['query']>;
export type ExportQuery = NonNullable<
  paths['/api/v1/audit-events/export']['get']['parameters']['query']
>;
export type AuditEvent = Reply<'/api/v1/audit-events', 'get'>['items'][number];
export type ActorType = AuditEvent['actor']['type'];
export type Outcome = AuditEvent['outcome'];

export const ACTOR_TYPES: readonly ActorType[] = [
  'admin',
  'operator',
  'device',
  'system',
  'anonymous',
];
export const OUTCOMES: readonly Outcome[] = ['success', 'failure'];

/** The audit trail's filters as the form holds them: '' is "any". */
export interface AuditFilter {
  action: string;
  actorType: ActorType | '';
  actorId: string;
  siteId: string;
  targetType: string;
  targetId: string;
  outcome: Outcome | '';
  /** `datetime-local` values (the browser's time zone), '' for open-ended. */
  from: string;
  to: string;
}

export const NO_FILTER: AuditFilter = {
  action: '',
  actorType: '',
  actorId: '',
  siteId: '',
  targetType: '',
  targetId: '',
  outcome: '',
  from: '',
  to: '',
};

/** A `datetime-local` value as the API's ISO instant, or undefined when empty or unreadable. */
function instantOf(local: string): string | undefined {
  if (local === '') return undefined;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * The query of `GET /api/v1/audit-events/export` (and of the list, which
 * adds its page): only the filters that are set, times as instants.
 */
export function exportQueryOf(filter: AuditFilter): ExportQuery {
  const query: ExportQuery = {};
  const action = filter.action.trim();
  if (action !== '') query.action = action;
  if (filter.actorType !== '') query.actorType = filter.actorType;
  if (filter.actorId !== '') query.actorId = filter.actorId;
  if (filter.siteId !== '') query.siteId = filter.siteId;
  const targetType = filter.targetType.trim();
  if (targetType !== '') query.targetType = targetType;
  const targetId = filter.targetId.trim();
  if (targetId !== '') query.targetId = targetId;
  if (filter.outcome !== '') query.outcome = filter.outcome;
  const from = instantOf(filter.from);
  if (from !== undefined) query.from = from;
  const to = instantOf(filter.to);
  if (to !== undefined) query.to = to;
  return query;
}

/** One page of the list under these filters. */
export function listQueryOf(filter: AuditFilter, limit: number, cursor?: string): AuditQuery {
  return { ...exportQueryOf(filter), limit, ...(cursor === undefined ? {} : { cursor }) };
}

/** One field of an event's before/after, for the detail: what it was and what it became. */
export interface ChangedValue {
  field: string;
  before: unknown;
  after: unknown;
}

/**
 * The fields an event changed, each before → after: a settings change reads
 * as `notSeenThresholdHours: 24 → 48` (its before and after are whole
 * snapshots, mostly the same); a creation, as every field it set.
 */
export function changedValues(event: Pick<AuditEvent, 'before' | 'after'>): ChangedValue[] {
  const before = event.before ?? {};
  const after = event.after ?? {};
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return fields
    .filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]))
    .map((field) => ({ field, before: before[field], after: after[field] }));
}

/**
 * A value of an event's before/after as text: strings bare, lists joined, the
 * rest as JSON; a policy id (`defaultPolicyId`, `policyId`) as its policy's
 * name where the console still has it.
 */
export function auditValueText(
  value: unknown,
  field = '',
  policyNames: ReadonlyMap<string, string> = new Map(),
): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') {
    return /policyId$/i.test(field) ? (policyNames.get(value) ?? value) : value;
  }
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return value.join(', ');
  }
  return JSON.stringify(value);
}
