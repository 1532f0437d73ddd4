import {
  COMMAND_STATES,
  COMMAND_TYPES,
  commandSpecSchema,
  listCommandsRequestSchema,
  queryInt,
} from '@warden/contracts';
import { z } from 'zod';
import { idInput } from '../http/id-param';
import { commaSeparated } from '../http/shared.schemas';
import { endpointFilterBody } from './endpoints.schemas';

/**
 * HTTP queries and bodies of the commands routes: the command service's
 * requests without what the request itself gives (the caller, path
 * parameters). Ids in either case, passed on in lower case.
 */

/** Which endpoints a bulk goes to: a selection, a group, a site, or a site's endpoints by filter. */
const commandTargetBody = z.discriminatedUnion('kind', [
  z
    .object({ kind: z.literal('endpoints'), endpointIds: z.array(idInput).min(1).max(10_000) })
    .strict(),
  z.object({ kind: z.literal('group'), siteId: idInput, groupId: idInput }).strict(),
  z.object({ kind: z.literal('site'), siteId: idInput }).strict(),
  z.object({ kind: z.literal('filter'), siteId: idInput, filter: endpointFilterBody }).strict(),
]);

/**
 * A command as the console sends it: the catalogue's, closed to the last
 * property (the catalogue lets unknown top-level properties through, as
 * every service takes them; the HTTP API refuses them, as every body).
 */
export const commandBody = z.discriminatedUnion(
  'type',
  commandSpecSchema.options.map((variant) => variant.strict()) as unknown as [
    (typeof commandSpecSchema.options)[number],
    ...(typeof commandSpecSchema.options)[number][],
  ],
);

/** `POST /api/v1/commands/preview`: what a bulk would reach, before it is issued. */
export const previewCommandsBody = z
  .object({ target: commandTargetBody, command: commandBody })
  .strict();

/** `POST /api/v1/commands`: issue what the preview counted. */
export const issueCommandsBody = z
  .object({
    confirmationToken: idInput.describe(
      'the preview’s `confirmationToken`, within its `expiresAt`',
    ),
  })
  .strict();

/** The history's page and its filters common to the console's and an endpoint's. */
const historyQuery = {
  state: commaSeparated(COMMAND_STATES).optional(),
  type: commaSeparated(COMMAND_TYPES).optional(),
  cursor: listCommandsRequestSchema.shape.cursor.describe(
    'the previous page’s `nextCursor`, with the same filters',
  ),
  limit: queryInt(1, 200).optional(),
};

/** `GET /api/v1/endpoints/{endpointId}/commands`. */
export const endpointCommandsQuery = z.object(historyQuery).strict();
export type EndpointCommandsQuery = z.output<typeof endpointCommandsQuery>;

/** `GET /api/v1/commands`. */
export const listCommandsQuery = z
  .object({
    siteId: idInput.optional(),
    endpointId: idInput.optional(),
    bulkId: idInput.optional(),
    ...historyQuery,
  })
  .strict();
export type ListCommandsQuery = z.output<typeof listCommandsQuery>;
