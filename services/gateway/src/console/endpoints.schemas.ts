import {
  changesOf,
  ENDPOINT_SORT_KEYS,
  ENDPOINT_STATUSES,
  endpointFilterSchema,
  groupNameSchema,
  listEndpointsRequestSchema,
  queryInt,
} from '@warden/contracts';
import { z } from 'zod';
import { idInput } from '../http/id-param';
import { documentAs } from '../http/openapi';
import { commaSeparated } from '../http/shared.schemas';
import { policyLanguageQuery } from './console.schemas';

/**
 * HTTP queries and bodies of the endpoints, groups and installers routes,
 * each inventory's request without what the request itself gives (the
 * caller, path parameters). Ids in either case, passed on in lower case.
 */

/** Which endpoints, as inventory's filter takes it (ids lower-cased). */
export const endpointFilterBody = endpointFilterSchema
  .extend({
    groupId: idInput.optional(),
    policyId: idInput.optional(),
  })
  .strict();

/** `GET /api/v1/endpoints`: the table's filters, sort and page. */
export const listEndpointsQuery = z
  .object({
    /** Absent: every site the caller may see. */
    siteId: idInput.optional(),
    groupId: idInput.optional(),
    /** Comma-separated statuses: any of them. */
    status: commaSeparated(ENDPOINT_STATUSES).optional(),
    /** The effective policy. */
    policyId: idInput.optional(),
    q: endpointFilterSchema.shape.q.describe('a part of the hostname, without regard to case'),
    sort: z.enum(ENDPOINT_SORT_KEYS).optional(),
    order: z.enum(['asc', 'desc']).optional(),
    cursor: listEndpointsRequestSchema.shape.cursor.describe(
      'the previous page’s `nextCursor`, with the same filters and sort',
    ),
    limit: queryInt(1, 200).optional(),
    ...policyLanguageQuery.shape,
  })
  .strict();
export type ListEndpointsQuery = z.output<typeof listEndpointsQuery>;

/** `PUT …/endpoints/{endpointId}/policy`: the endpoint's own policy, or null to follow its group. */
export const setEndpointPolicyBody = z
  .object({
    policyId: idInput
      .nullable()
      .describe('a policy of the console or a built-in; null: follow the group (or the site)'),
  })
  .strict();

/** One endpoint, a selection, or every endpoint of the site matching a filter. */
const endpointSelectionBody = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('ids'),
      endpointIds: z.array(idInput).min(1).max(10_000),
    })
    .strict(),
  z.object({ kind: z.literal('filter'), filter: endpointFilterBody }).strict(),
]);

export const moveEndpointsBody = z
  .object({
    /** The target group, in the same site. */
    groupId: idInput,
    selection: endpointSelectionBody,
  })
  .strict();

export const createGroupBody = z
  .object({
    name: groupNameSchema,
    policyId: idInput
      .nullable()
      .describe('the group’s policy; null or absent: its endpoints follow the site’s default')
      .optional(),
  })
  .strict();

/** A rename, a policy (null: the site's default again), or both. */
export const updateGroupBody = documentAs(
  changesOf({ name: groupNameSchema, policyId: idInput.nullable() }),
  { minProperties: 1 },
);
