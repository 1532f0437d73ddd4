import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type Caller,
  consoleDetailSchema,
  consoleSchema,
  licensingRpc,
  siteSchema,
} from '@warden/contracts';
import { NatsRpcClient } from '@warden/platform';
import type { z } from 'zod';
import { AdminCaller, ConsoleSession, SiteAccess, SuperAdmin } from '../auth/console-auth';
import { IdParam } from '../http/id-param';
import { ApiErrors, ApiReply, ApiZodBody } from '../http/openapi';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { updateConsoleSettingsBody, updateSiteSettingsBody } from './console.schemas';

const SiteId = () => IdParam('siteId');

/**
 * Console settings (DESIGN §3 journey 8): the console of the token and the
 * sites its administrator may see, with keycodes and seats (read-only here:
 * seats change only through the provider).
 */
@ApiTags('console: settings')
@Controller('api/v1')
export class SettingsController {
  constructor(private readonly rpc: NatsRpcClient) {}

  @Get('settings')
  @ConsoleSession()
  @ApiOperation({
    summary: 'My console: name, language, "not seen recently" threshold, and its sites',
    description:
      'Each site with its keycode, comment, report recipients and seats purchased and used. ' +
      'An administrator with access per site sees only the sites they have access to.',
  })
  @ApiReply(200, consoleDetailSchema)
  @ApiErrors('SERVICE_UNAVAILABLE')
  get(@AdminCaller() caller: Caller) {
    return this.rpc.request(licensingRpc.getConsoleSettings, { caller });
  }

  @Patch('settings')
  @SuperAdmin()
  @ApiOperation({
    summary: 'Change the console name, default language or "not seen recently" threshold',
  })
  @ApiZodBody(updateConsoleSettingsBody)
  @ApiReply(200, consoleSchema, 'the console as it is now (unchanged if nothing differed)')
  @ApiErrors('CONFLICT', 'SERVICE_UNAVAILABLE')
  update(
    @Body(new ZodValidationPipe(updateConsoleSettingsBody, 'body'))
    patch: z.output<typeof updateConsoleSettingsBody>,
    @AdminCaller() caller: Caller,
  ) {
    return this.rpc.request(licensingRpc.updateConsoleSettings, { patch, caller });
  }

  @Get('sites/:siteId')
  @SiteAccess('view_only', { param: 'siteId' })
  @ApiOperation({
    summary: 'A site: name, keycode, comment, seats purchased and used, report recipients',
  })
  @ApiReply(200, siteSchema)
  @ApiErrors('SITE_NOT_FOUND', 'SERVICE_UNAVAILABLE')
  getSite(@SiteId() siteId: string, @AdminCaller() caller: Caller) {
    return this.rpc.request(licensingRpc.getSiteSettings, { siteId, caller });
  }

  @Patch('sites/:siteId')
  @SiteAccess('admin', { param: 'siteId' })
  @ApiOperation({
    summary:
      'Change a site’s name, comment, report recipients (at most 10) or default endpoint policy',
    description:
      'Seats and seat enforcement change only through the provider. `defaultPolicyId` is the ' +
      'policy newly enrolled endpoints of the site get (a policy of the console or a built-in, ' +
      'else POLICY_NOT_FOUND); endpoints enrolled before keep theirs. A site that never set ' +
      'one has `defaultPolicyId: null`: Recommended Defaults.',
  })
  @ApiZodBody(updateSiteSettingsBody)
  @ApiReply(200, siteSchema, 'the site as it is now (unchanged if nothing differed)')
  @ApiErrors('SITE_NOT_FOUND', 'POLICY_NOT_FOUND', 'CONFLICT', 'SERVICE_UNAVAILABLE')
  updateSite(
    @SiteId() siteId: string,
    @Body(new ZodValidationPipe(updateSiteSettingsBody, 'body'))
    patch: z.output<typeof updateSiteSettingsBody>,
    @AdminCaller() caller: Caller,
  ) {
    return this.rpc.request(licensingRpc.updateSiteSettings, { siteId, patch, caller });
  }
}
