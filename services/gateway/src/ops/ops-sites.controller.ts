import { Body, Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Caller, licensingRpc, siteSchema } from '@warden/contracts';
import { NatsRpcClient } from '@warden/platform';
import type { z } from 'zod';
import { OperatorCaller, OpsAuthenticated } from '../auth/ops-auth';
import { IdParam } from '../http/id-param';
import { ApiErrors, ApiReply, ApiZodBody } from '../http/openapi';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { IdempotencyKey } from '../http/idempotency-key';
import { siteUsageReply, updateSiteBody } from './ops.schemas';

const SiteId = () => IdParam('siteId');

/** The provider's view of sites: seats, enforcement mode, keycode rotation. */
@ApiTags('ops: sites')
@OpsAuthenticated()
@Controller('ops/v1/sites')
export class OpsSitesController {
  constructor(private readonly rpc: NatsRpcClient) {}

  @Get(':siteId')
  @ApiOperation({ summary: 'A site with its keycode and seat usage' })
  @ApiReply(200, siteSchema)
  @ApiErrors('SITE_NOT_FOUND', 'SERVICE_UNAVAILABLE')
  get(@SiteId() siteId: string, @OperatorCaller() caller: Caller) {
    return this.rpc.request(licensingRpc.getSite, { siteId, caller });
  }

  @Get(':siteId/usage')
  @ApiOperation({ summary: 'Seats, used, free and overage of one site' })
  @ApiReply(200, siteUsageReply)
  @ApiErrors('SITE_NOT_FOUND', 'SERVICE_UNAVAILABLE')
  async usage(
    @SiteId() siteId: string,
    @OperatorCaller() caller: Caller,
  ): Promise<z.output<typeof siteUsageReply>> {
    const site = await this.rpc.request(licensingRpc.getSite, { siteId, caller });
    return { siteId, usage: site.usage };
  }

  @Patch(':siteId')
  @ApiOperation({
    summary: 'Change seats, enforcement mode, name, comment or report recipients',
    description:
      'Seats may go below current use: nothing is evicted and the excess shows as overage.',
  })
  @ApiZodBody(updateSiteBody)
  @ApiReply(200, siteSchema, 'the site as it is now (unchanged if nothing differed)')
  @ApiErrors('SITE_NOT_FOUND', 'CONFLICT', 'SERVICE_UNAVAILABLE')
  update(
    @SiteId() siteId: string,
    @Body(new ZodValidationPipe(updateSiteBody, 'body')) patch: z.output<typeof updateSiteBody>,
    @OperatorCaller() caller: Caller,
  ) {
    return this.rpc.request(licensingRpc.updateSite, { siteId, patch, caller });
  }

  @Post(':siteId/keycode/rotate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Issue a new keycode; the old one stops working for new enrolments' })
  @ApiReply(200, siteSchema, 'the site with its new keycode')
  @ApiErrors('SITE_NOT_FOUND', 'SERVICE_UNAVAILABLE')
  rotateKeycode(
    @SiteId() siteId: string,
    @IdempotencyKey('rotate it once, answering the same new keycode') idempotencyKey: string,
    @OperatorCaller() caller: Caller,
  ) {
    return this.rpc.request(licensingRpc.rotateKeycode, { siteId, caller, idempotencyKey });
  }
}
