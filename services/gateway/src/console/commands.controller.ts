import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  bulkPreviewSchema,
  bulkSchema,
  type Caller,
  commandPageSchema,
  type CommandRequest,
  commandRpc,
  commandSchema,
  type CommandSpec,
} from '@warden/contracts';
import { NatsRpcClient } from '@warden/platform';
import type { z } from 'zod';
import { AdminCaller, AnySiteAdmin, ConsoleSession, SiteAccess } from '../auth/console-auth';
import { IdempotencyKey } from '../http/idempotency-key';
import { IdParam } from '../http/id-param';
import { ApiErrors, ApiReply, ApiZodBody, ApiZodQuery } from '../http/openapi';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import {
  commandBody,
  endpointCommandsQuery,
  type EndpointCommandsQuery,
  issueCommandsBody,
  listCommandsQuery,
  type ListCommandsQuery,
  previewCommandsBody,
} from './commands.schemas';

const CommandId = () => IdParam('commandId');
const EndpointId = () => IdParam('endpointId');
const ofCommand = { resource: 'command', param: 'commandId' } as const;
const ofEndpoint = { resource: 'endpoint', param: 'endpointId' } as const;

/**
 * Agent commands (DESIGN §2, §3 journeys 11, 13, 14; issue 12): the command
 * service answers. Issuing to many endpoints takes two steps — a preview
 * with the count and a confirmation token, then the issue of that token —
 * and one endpoint's command one. Who may command an endpoint: `admin` on its
 * site (view-only administrators read the history). Each command rides on
 * the endpoint's check-ins until the agent acknowledges it.
 */
@ApiTags('console: commands')
@Controller('api/v1')
export class CommandsController {
  constructor(private readonly rpc: NatsRpcClient) {}

  @Post('commands/preview')
  @HttpCode(200)
  @AnySiteAdmin()
  @ApiOperation({
    summary: 'Step 1 of a bulk command: how many endpoints it reaches, and a confirmation token',
    description:
      '`target` is a selection of endpoints (`{kind: "endpoints", endpointIds}`, across the ' +
      'caller’s sites), a group, a site, or a site’s endpoints matching the table’s filter. ' +
      'Endpoints of sites the caller may not command, unknown ones, and those deactivated or ' +
      'being deactivated are left out and counted in `skipped`. For `deactivate`, `warning` ' +
      'says that billing counts until removal is verified. Issue with `confirmationToken` ' +
      'before `expiresAt`: exactly these endpoints get the command.',
  })
  @ApiZodBody(previewCommandsBody)
  @ApiReply(200, bulkPreviewSchema)
  @ApiErrors(
    'VALIDATION_FAILED',
    'COMMAND_TARGET_EMPTY',
    'COMMAND_TARGET_TOO_LARGE',
    'KEYCODE_INVALID',
    'SITE_NOT_FOUND',
    'GROUP_NOT_FOUND',
    'SERVICE_UNAVAILABLE',
  )
  preview(
    @Body(new ZodValidationPipe(previewCommandsBody, 'body'))
    body: z.output<typeof previewCommandsBody>,
    @AdminCaller() caller: Caller,
  ) {
    return this.rpc.request(commandRpc.previewBulk, { caller, ...body });
  }

  @Post('commands')
  @HttpCode(202)
  @AnySiteAdmin()
  @ApiOperation({
    summary: 'Step 2 of a bulk command: issue what the preview counted',
    description:
      'Only the administrator who previewed may issue (CONFIRMATION_TOKEN_INVALID), before ' +
      'the token expires (CONFIRMATION_TOKEN_EXPIRED). The same token again issues nothing ' +
      'new and answers the bulk as it is now, so a retry is safe and no endpoint gets the ' +
      'command twice. Accepted: the endpoints receive it at their next check-in; ' +
      '`GET /api/v1/command-bulks/{bulkId}` follows its progress.',
  })
  @ApiZodBody(issueCommandsBody)
  @ApiReply(202, bulkSchema, 'the bulk: its commands, by state')
  @ApiErrors(
    'VALIDATION_FAILED',
    'CONFIRMATION_TOKEN_INVALID',
    'CONFIRMATION_TOKEN_EXPIRED',
    'SERVICE_UNAVAILABLE',
  )
  issue(
    @Body(new ZodValidationPipe(issueCommandsBody, 'body'))
    body: z.output<typeof issueCommandsBody>,
    @AdminCaller() caller: Caller,
  ) {
    return this.rpc.request(commandRpc.issueBulk, { caller, ...body });
  }

  @Get('command-bulks/:bulkId')
  @ConsoleSession()
  @ApiOperation({
    summary: 'A bulk command’s progress: how many of its commands are in each state',
  })
  @ApiReply(200, bulkSchema)
  @ApiErrors('BULK_NOT_FOUND', 'SERVICE_UNAVAILABLE')
  bulk(@IdParam('bulkId') bulkId: string, @AdminCaller() caller: Caller) {
    return this.rpc.request(commandRpc.getBulk, { caller, bulkId });
  }

  @Post('endpoints/:endpointId/commands')
  @SiteAccess('admin', ofEndpoint)
  @ApiOperation({
    summary: 'Send one command to one endpoint',
    description:
      'Delivered on the endpoint’s next check-in, again on each until the agent acknowledges ' +
      'it. `deactivate` moves the endpoint to `deactivation_pending` (billing counts until ' +
      'removal is verified); `change_keycode` moves it to the site of `parameters.keycode`. ' +
      'With an Idempotency-Key, a retry issues it once and answers the same command.',
  })
  @ApiZodBody(commandBody)
  @ApiReply(201, commandSchema, 'the command, `pending`')
  @ApiErrors(
    'VALIDATION_FAILED',
    'ENDPOINT_NOT_FOUND',
    'ENDPOINT_NOT_COMMANDABLE',
    'KEYCODE_INVALID',
    'SERVICE_UNAVAILABLE',
  )
  issueOne(
    @EndpointId() endpointId: string,
    @Body(new ZodValidationPipe(commandBody, 'body')) command: CommandSpec,
    @IdempotencyKey('issue it once', { optional: true }) idempotencyKey: string | undefined,
    @AdminCaller() caller: Caller,
  ) {
    return this.rpc.request(commandRpc.issueCommand, {
      caller,
      endpointId,
      command,
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
    });
  }

  @Get('commands')
  @ConsoleSession()
  @ApiOperation({
    summary: 'The console’s command history: filter and page, newest first',
    description:
      'Commands of the sites the caller may see. `state` and `type` are comma-separated ' +
      'lists (any of them). Pass a reply’s `nextCursor` as `cursor` with the same filters.',
  })
  @ApiZodQuery(listCommandsQuery)
  @ApiReply(200, commandPageSchema)
  @ApiErrors('CURSOR_INVALID', 'SERVICE_UNAVAILABLE')
  list(
    @Query(new ZodValidationPipe(listCommandsQuery, 'query')) query: ListCommandsQuery,
    @AdminCaller() caller: Caller,
  ) {
    const { siteId, endpointId, bulkId, ...page } = query;
    return this.history(caller, { siteId, endpointId, bulkId }, page);
  }

  @Get('endpoints/:endpointId/commands')
  @SiteAccess('view_only', ofEndpoint)
  @ApiOperation({
    summary: 'An endpoint’s command history, newest first',
    description: 'Filters and pages as `GET /api/v1/commands`.',
  })
  @ApiZodQuery(endpointCommandsQuery)
  @ApiReply(200, commandPageSchema)
  @ApiErrors('ENDPOINT_NOT_FOUND', 'CURSOR_INVALID', 'SERVICE_UNAVAILABLE')
  endpointHistory(
    @EndpointId() endpointId: string,
    @Query(new ZodValidationPipe(endpointCommandsQuery, 'query')) query: EndpointCommandsQuery,
    @AdminCaller() caller: Caller,
  ) {
    return this.history(caller, { endpointId }, query);
  }

  @Get('commands/:commandId')
  @SiteAccess('view_only', ofCommand)
  @ApiOperation({ summary: 'One command: its state, times, issuer and the agent’s message' })
  @ApiReply(200, commandSchema)
  @ApiErrors('COMMAND_NOT_FOUND', 'SERVICE_UNAVAILABLE')
  get(@CommandId() commandId: string, @AdminCaller() caller: Caller) {
    return this.rpc.request(commandRpc.getCommand, { caller, commandId });
  }

  @Post('commands/:commandId/cancel')
  @HttpCode(200)
  @SiteAccess('admin', ofCommand)
  @ApiOperation({
    summary: 'Cancel a command the endpoint has not received yet',
    description:
      'Only while `pending` (COMMAND_NOT_CANCELLABLE once delivered or ended). Cancelling a ' +
      '`deactivate` puts the endpoint back to `active`.',
  })
  @ApiReply(200, commandSchema, 'the command, `cancelled`')
  @ApiErrors('COMMAND_NOT_FOUND', 'COMMAND_NOT_CANCELLABLE', 'SERVICE_UNAVAILABLE')
  cancel(@CommandId() commandId: string, @AdminCaller() caller: Caller) {
    return this.rpc.request(commandRpc.cancelCommand, { caller, commandId });
  }

  private history(
    caller: Caller,
    where: { siteId?: string; endpointId?: string; bulkId?: string },
    { state, type, cursor, limit }: EndpointCommandsQuery,
  ) {
    const filter: CommandRequest<'listCommands'>['filter'] = {};
    if (where.siteId !== undefined) filter.siteId = where.siteId;
    if (where.endpointId !== undefined) filter.endpointId = where.endpointId;
    if (where.bulkId !== undefined) filter.bulkId = where.bulkId;
    if (state !== undefined) filter.state = state;
    if (type !== undefined) filter.type = type;
    return this.rpc.request(commandRpc.listCommands, {
      caller,
      filter,
      ...(cursor === undefined ? {} : { cursor }),
      ...(limit === undefined ? {} : { limit }),
    });
  }
}
