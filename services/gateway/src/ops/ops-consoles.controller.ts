import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type Caller,
  consoleDetailSchema,
  consoleListSchema,
  consoleSchema,
  licensingRpc,
  siteSchema,
} from '@warden/contracts';
import { NatsRpcClient } from '@warden/platform';
import type { z } from 'zod';
import { OperatorCaller, OpsAuthenticated } from '../auth/ops-auth';
import { IdParam } from '../http/id-param';
import { ApiErrors, ApiReply, ApiZodBody, ApiZodQuery } from '../http/openapi';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { IdempotencyKey } from './idempotency-key';
import {
  consoleUsageReply,
  createConsoleBody,
  createSiteBody,
  extendTrialBody,
  listConsolesQuery,
} from './ops.schemas';

const ConsoleId = () => IdParam('consoleId');

/** The provider's view of consoles (tenants): open, list, suspend, resume, convert. */
@ApiTags('ops: consoles')
@OpsAuthenticated()
@Controller('ops/v1/consoles')
export class OpsConsolesController {
  constructor(private readonly rpc: NatsRpcClient) {}

  @Post()
  @ApiOperation({ summary: 'Open a console with its first site (keycode and seats)' })
  @ApiZodBody(createConsoleBody)
  @ApiReply(201, consoleDetailSchema, 'the console, its first site and their seat usage')
  @ApiErrors('IDEMPOTENCY_KEY_REUSED', 'SERVICE_UNAVAILABLE')
  create(
    @Body(new ZodValidationPipe(createConsoleBody, 'body'))
    body: z.output<typeof createConsoleBody>,
    @IdempotencyKey('create it once') idempotencyKey: string,
    @OperatorCaller() caller: Caller,
  ) {
    return this.rpc.request(licensingRpc.createConsole, {
      ...body,
      caller,
      idempotencyKey,
    });
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
