import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  administratorListSchema,
  administratorSchema,
  type Caller,
  consoleDetailSchema,
  consoleListSchema,
  consoleSchema,
  identityRpc,
  licensingRpc,
  siteSchema,
} from '@warden/contracts';
import { NatsRpcClient } from '@warden/platform';
import type { z } from 'zod';
import { OperatorCaller, OpsAuthenticated } from '../auth/ops-auth';
import { IdParam } from '../http/id-param';
import { ApiErrors, ApiReply, ApiZodBody, ApiZodQuery } from '../http/openapi';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { IdempotencyKey } from '../http/idempotency-key';
import {
  addProviderSupportBody,
  consoleUsageReply,
  createConsoleBody,
  createSiteBody,
  extendTrialBody,
  listConsolesQuery,
  openedConsoleReply,
} from './ops.schemas';

const ConsoleId = () => IdParam('consoleId');
const AdministratorId = () => IdParam('administratorId');

/**
 * The provider's view of consoles (tenants): open, list, suspend, resume,
 * convert, their first administrators' invitations, and the provider's own
 * support administrators in them.
 */
@ApiTags('ops: consoles')
@OpsAuthenticated()
@Controller('ops/v1/consoles')
export class OpsConsolesController {
  constructor(private readonly rpc: NatsRpcClient) {}

  @Post()
  @ApiOperation({
    summary: 'Open a console with its first site (keycode and seats) and its first administrators',
    description:
      'Two steps, each idempotent: the console and site (licensing), then the ' +
      'administrators and their activation e-mails (identity, once per console and ' +
      'address). If the second step is refused (ADMIN_EMAIL_TAKEN: e-mail addresses are ' +
      'login ids across all consoles), the console exists without administrators: ' +
      'retry with the same Idempotency-Key and corrected `administrators` to complete it ' +
      '(the rest of the body must stay the same). A retry after a lost answer finishes ' +
      'whichever step was left, and sends no e-mail twice.',
  })
  @ApiZodBody(createConsoleBody)
  @ApiReply(
    201,
    openedConsoleReply,
    'the console, its first site, their seat usage, and the invited administrators',
  )
  @ApiErrors(
    'IDEMPOTENCY_KEY_REUSED',
    'ADMIN_EMAIL_TAKEN',
    'ADMIN_PHONE_TAKEN',
    'CONFLICT',
    'SERVICE_UNAVAILABLE',
  )
  async create(
    @Body(new ZodValidationPipe(createConsoleBody, 'body'))
    body: z.output<typeof createConsoleBody>,
    @IdempotencyKey('create it once and invite each administrator once') idempotencyKey: string,
    @OperatorCaller() caller: Caller,
  ): Promise<z.output<typeof openedConsoleReply>> {
    const { administrators, ...consoleInput } = body;
    const detail = await this.rpc.request(licensingRpc.createConsole, {
      ...consoleInput,
      caller,
      idempotencyKey,
    });
    const invited = await this.rpc.request(identityRpc.inviteInitialAdministrators, {
      caller,
      consoleId: detail.console.id,
      consoleName: detail.console.name,
      consoleLanguage: detail.console.language,
      administrators,
    });
    return { ...detail, administrators: invited.items };
  }

  @Get()
  @ApiOperation({ summary: 'List consoles, oldest first, by pages' })
  @ApiZodQuery(listConsolesQuery)
  @ApiReply(200, consoleListSchema, 'a page; `nextAfter` is the `after` of the next page, or null')
  @ApiErrors('SERVICE_UNAVAILABLE')
  list(
    @Query(new ZodValidationPipe(listConsolesQuery, 'query'))
    query: z.output<typeof listConsolesQuery>,
    @OperatorCaller() caller: Caller,
  ) {
    return this.rpc.request(licensingRpc.listConsoles, { ...query, caller });
  }

  @Get(':consoleId')
  @ApiOperation({ summary: 'A console with its sites and seat usage' })
  @ApiReply(200, consoleDetailSchema)
  @ApiErrors('CONSOLE_NOT_FOUND', 'SERVICE_UNAVAILABLE')
  get(@ConsoleId() consoleId: string, @OperatorCaller() caller: Caller) {
    return this.rpc.request(licensingRpc.getConsole, { consoleId, caller });
  }

  @Get(':consoleId/usage')
  @ApiOperation({ summary: 'Seats, used, free and overage, per site and in total' })
  @ApiReply(200, consoleUsageReply)
  @ApiErrors('CONSOLE_NOT_FOUND', 'SERVICE_UNAVAILABLE')
  async usage(
    @ConsoleId() consoleId: string,
    @OperatorCaller() caller: Caller,
  ): Promise<z.output<typeof consoleUsageReply>> {
    const detail = await this.rpc.request(licensingRpc.getConsole, { consoleId, caller });
    return {
      consoleId,
      usage: detail.usage,
      sites: detail.sites.map((site) => ({ siteId: site.id, name: site.name, usage: site.usage })),
    };
  }

  @Post(':consoleId/suspend')
  @HttpCode(200)
  @ApiOperation({ summary: 'Suspend: agents can no longer enrol' })
  @ApiReply(200, consoleSchema, 'the console as it is now (unchanged if it already was)')
  @ApiErrors('CONSOLE_NOT_FOUND', 'CONFLICT', 'SERVICE_UNAVAILABLE')
  suspend(@ConsoleId() consoleId: string, @OperatorCaller() caller: Caller) {
    return this.rpc.request(licensingRpc.suspendConsole, { consoleId, caller });
  }

  @Post(':consoleId/resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume a suspended console' })
  @ApiReply(200, consoleSchema, 'the console as it is now (unchanged if it already was)')
  @ApiErrors('CONSOLE_NOT_FOUND', 'CONFLICT', 'SERVICE_UNAVAILABLE')
  resume(@ConsoleId() consoleId: string, @OperatorCaller() caller: Caller) {
    return this.rpc.request(licensingRpc.resumeConsole, { consoleId, caller });
  }

  @Post(':consoleId/convert')
  @HttpCode(200)
  @ApiOperation({ summary: 'Convert a trial console to production' })
  @ApiReply(200, consoleSchema, 'the console as it is now (unchanged if it already was)')
  @ApiErrors('CONSOLE_NOT_FOUND', 'CONFLICT', 'SERVICE_UNAVAILABLE')
  convert(@ConsoleId() consoleId: string, @OperatorCaller() caller: Caller) {
    return this.rpc.request(licensingRpc.convertConsole, { consoleId, caller });
  }

  @Post(':consoleId/trial/extend')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Extend a trial by some days, from its end or from now if it has ended',
  })
  @ApiZodBody(extendTrialBody)
  @ApiReply(200, consoleSchema, 'the console with its new `trialEndsAt`')
  @ApiErrors('CONSOLE_NOT_FOUND', 'CONSOLE_NOT_TRIAL', 'CONFLICT', 'SERVICE_UNAVAILABLE')
  extendTrial(
    @ConsoleId() consoleId: string,
    @Body(new ZodValidationPipe(extendTrialBody, 'body')) body: z.output<typeof extendTrialBody>,
    @IdempotencyKey('extend it once') idempotencyKey: string,
    @OperatorCaller() caller: Caller,
  ) {
    return this.rpc.request(licensingRpc.extendTrial, {
      ...body,
      consoleId,
      caller,
      idempotencyKey,
    });
  }

  @Get(':consoleId/administrators')
  @ApiOperation({ summary: 'The administrators of a console, with their state and 2FA' })
  @ApiReply(200, administratorListSchema)
  @ApiErrors('CONSOLE_NOT_FOUND', 'SERVICE_UNAVAILABLE')
  async listAdministrators(@ConsoleId() consoleId: string, @OperatorCaller() caller: Caller) {
    // Licensing knows which consoles exist: an unknown id is 404, not an empty list.
    const [, administrators] = await Promise.all([
      this.rpc.request(licensingRpc.getConsole, { consoleId, caller }),
      this.rpc.request(identityRpc.listConsoleAdministrators, { consoleId, caller }),
    ]);
    return administrators;
  }

  @Post(':consoleId/administrators')
  @ApiOperation({
    summary: 'Add the provider’s support administrator to a console',
    description:
      'A super admin shown with a provider-support badge, invited by e-mail like any ' +
      'administrator; the customer cannot delete, disable or demote it ' +
      '(PROVIDER_SUPPORT_PROTECTED). Only this route creates one.',
  })
  @ApiZodBody(addProviderSupportBody)
  @ApiReply(201, administratorSchema, 'the administrator, `invited`')
  @ApiErrors(
    'CONSOLE_NOT_FOUND',
    'ADMIN_EMAIL_TAKEN',
    'ADMIN_PHONE_TAKEN',
    'IDEMPOTENCY_KEY_REUSED',
    'SERVICE_UNAVAILABLE',
  )
  addProviderSupport(
    @ConsoleId() consoleId: string,
    @Body(new ZodValidationPipe(addProviderSupportBody, 'body'))
    body: z.output<typeof addProviderSupportBody>,
    @IdempotencyKey('add them and send the invitation once') idempotencyKey: string,
    @OperatorCaller() caller: Caller,
  ) {
    return this.rpc.request(identityRpc.addProviderSupport, {
      ...body,
      consoleId,
      idempotencyKey,
      caller,
    });
  }

  @Post(':consoleId/administrators/:administratorId/activation')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Send an invited administrator a new activation e-mail',
    description:
      'A new link and temporary password; the previous link stops working ' +
      '(ACTIVATION_LINK_REPLACED). Refused once the administrator has registered.',
  })
  @ApiReply(200, administratorSchema, 'the administrator, with the new link’s expiry')
  @ApiErrors('ADMINISTRATOR_NOT_FOUND', 'ADMIN_ALREADY_ACTIVE', 'CONFLICT', 'SERVICE_UNAVAILABLE')
  resendActivation(
    @ConsoleId() consoleId: string,
    @AdministratorId() administratorId: string,
    @OperatorCaller() caller: Caller,
  ) {
    return this.rpc.request(identityRpc.resendActivation, { consoleId, administratorId, caller });
  }

  @Post(':consoleId/sites')
  @ApiOperation({ summary: 'Add a site (with its own keycode and seats) to a console' })
  @ApiZodBody(createSiteBody)
  @ApiReply(201, siteSchema, 'the site with its keycode and seat usage')
  @ApiErrors('CONSOLE_NOT_FOUND', 'IDEMPOTENCY_KEY_REUSED', 'SERVICE_UNAVAILABLE')
  addSite(
    @ConsoleId() consoleId: string,
    @Body(new ZodValidationPipe(createSiteBody, 'body')) body: z.output<typeof createSiteBody>,
    @IdempotencyKey('create it once') idempotencyKey: string,
    @OperatorCaller() caller: Caller,
  ) {
    return this.rpc.request(licensingRpc.createSite, {
      ...body,
      consoleId,
      caller,
      idempotencyKey,
    });
  }
}
