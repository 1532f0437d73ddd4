import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuditContext, idSchema, licensingRpc } from '@warden/contracts';
import { NatsRpcClient } from '@warden/platform';
import type { z } from 'zod';
import { OperatorAudit, OpsAuthenticated } from '../auth/ops-auth';
import { ApiZodBody } from '../http/openapi';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { updateSiteBody } from './ops.schemas';

const SiteId = () => Param('siteId', new ZodValidationPipe(idSchema, 'siteId'));

/** The provider's view of sites: seats, enforcement mode, keycode rotation. */
@ApiTags('ops: sites')
@OpsAuthenticated()
@Controller('ops/v1/sites')
export class OpsSitesController {
  constructor(private readonly rpc: NatsRpcClient) {}

  @Get(':siteId')
  @ApiOperation({ summary: 'A site with its keycode and seat usage' })
  get(@SiteId() siteId: string) {
    return this.rpc.request(licensingRpc.getSite, { siteId });
  }

  @Get(':siteId/usage')
  @ApiOperation({ summary: 'Seats, used, free and overage of one site' })
  async usage(@SiteId() siteId: string) {
    const site = await this.rpc.request(licensingRpc.getSite, { siteId });
    return { siteId, usage: site.usage };
  }

  @Patch(':siteId')
  @ApiOperation({
    summary: 'Change seats, enforcement mode, name, comment or report recipients',
    description:
      'Seats may go below current use: nothing is evicted and the excess shows as overage.',
  })
  @ApiZodBody(updateSiteBody)
  update(
    @SiteId() siteId: string,
    @Body(new ZodValidationPipe(updateSiteBody, 'body')) patch: z.output<typeof updateSiteBody>,
    @OperatorAudit() audit: AuditContext,
  ) {
    return this.rpc.request(licensingRpc.updateSite, { siteId, patch, audit });
  }

  @Post(':siteId/keycode/rotate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Issue a new keycode; the old one stops working for new enrolments' })
  rotateKeycode(@SiteId() siteId: string, @OperatorAudit() audit: AuditContext) {
    return this.rpc.request(licensingRpc.rotateKeycode, { siteId, audit });
  }
}
