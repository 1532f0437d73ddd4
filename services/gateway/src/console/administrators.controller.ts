import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  administratorPageSchema,
  administratorSchema,
  type Caller,
  identityRpc,
} from '@warden/contracts';
import { NatsRpcClient } from '@warden/platform';
import type { z } from 'zod';
import { AdminCaller, SuperAdmin } from '../auth/console-auth';
import { IdParam } from '../http/id-param';
import { ApiErrors, ApiNoContent, ApiReply, ApiZodBody, ApiZodQuery } from '../http/openapi';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { IdempotencyKey } from '../http/idempotency-key';
import {
  addAdministratorBody,
  listAdministratorsQuery,
  updateAdministratorBody,
} from './console.schemas';

const AdministratorId = () => IdParam('administratorId');

/**
 * The administrators of the signed-in super admin's console (DESIGN §3
 * journey 12). The console is the token's: an administrator of another
 * console is ADMINISTRATOR_NOT_FOUND, as one that does not exist.
 */
@ApiTags('console: administrators')
@SuperAdmin()
@Controller('api/v1/administrators')
export class AdministratorsController {
  constructor(private readonly rpc: NatsRpcClient) {}

  @Get()
  @ApiOperation({
    summary: 'List administrators: account type, site access, 2FA, state, provider-support badge',
    description:
      'Oldest first, by pages. `invited` ones are pending: `invitationExpiresAt` says when ' +
      'their link stops working.',
  })
  @ApiZodQuery(listAdministratorsQuery)
  @ApiReply(200, administratorPageSchema, 'a page; `nextCursor` is the `cursor` of the next one')
  @ApiErrors('SERVICE_UNAVAILABLE')
  list(
    @Query(new ZodValidationPipe(listAdministratorsQuery, 'query'))
    query: z.output<typeof listAdministratorsQuery>,
    @AdminCaller() caller: Caller,
  ) {
    return this.rpc.request(identityRpc.listAdministrators, { ...query, caller });
  }

  @Post()
  @ApiOperation({
    summary: 'Add an administrator: details, account type and site access; an invitation e-mail',
    description:
      'The invitee registers from the activation e-mail (link and temporary password). ' +
      'E-mail addresses are login ids across all consoles (ADMIN_EMAIL_TAKEN). Site access ' +
      'is for `admin` accounts; a site not of this console is SITE_NOT_FOUND.',
  })
  @ApiZodBody(addAdministratorBody)
  @ApiReply(201, administratorSchema, 'the administrator, `invited`')
  @ApiErrors(
    'ADMIN_EMAIL_TAKEN',
    'ADMIN_PHONE_TAKEN',
    'SITE_NOT_FOUND',
    'IDEMPOTENCY_KEY_REUSED',
    'SERVICE_UNAVAILABLE',
  )
  add(
    @Body(new ZodValidationPipe(addAdministratorBody, 'body'))
    body: z.output<typeof addAdministratorBody>,
    @IdempotencyKey('add them and send the invitation once') idempotencyKey: string,
    @AdminCaller() caller: Caller,
  ) {
    return this.rpc.request(identityRpc.addAdministrator, { ...body, idempotencyKey, caller });
  }

  @Get(':administratorId')
  @ApiOperation({ summary: 'One administrator' })
  @ApiReply(200, administratorSchema)
  @ApiErrors('ADMINISTRATOR_NOT_FOUND', 'SERVICE_UNAVAILABLE')
  get(@AdministratorId() administratorId: string, @AdminCaller() caller: Caller) {
    return this.rpc.request(identityRpc.getAdministrator, { administratorId, caller });
  }

  @Patch(':administratorId')
  @ApiOperation({
    summary: 'Edit details, account type or site access',
    description:
      'Nobody demotes themselves (CANNOT_CHANGE_SELF), nor the last active super admin ' +
      '(LAST_SUPER_ADMIN); provider-support accounts keep their type and access ' +
      '(PROVIDER_SUPPORT_PROTECTED). A new site access takes effect at the next token ' +
      'refresh (within 15 minutes).',
  })
  @ApiZodBody(updateAdministratorBody)
  @ApiReply(200, administratorSchema, 'the administrator as it is now')
  @ApiErrors(
    'ADMINISTRATOR_NOT_FOUND',
    'SITE_NOT_FOUND',
    'PROVIDER_SUPPORT_PROTECTED',
    'CANNOT_CHANGE_SELF',
    'LAST_SUPER_ADMIN',
    'ADMIN_PHONE_TAKEN',
    'CONFLICT',
    'SERVICE_UNAVAILABLE',
  )
  update(
    @AdministratorId() administratorId: string,
    @Body(new ZodValidationPipe(updateAdministratorBody, 'body'))
    patch: z.output<typeof updateAdministratorBody>,
    @AdminCaller() caller: Caller,
  ) {
    return this.rpc.request(identityRpc.updateAdministrator, { administratorId, patch, caller });
  }

  @Post(':administratorId/resend-invitation')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Resend the invitation e-mail of a pending administrator',
    description: 'A new link and temporary password; the previous link stops working.',
  })
  @ApiReply(200, administratorSchema, 'the administrator, with the new link’s expiry')
  @ApiErrors('ADMINISTRATOR_NOT_FOUND', 'ADMIN_ALREADY_ACTIVE', 'CONFLICT', 'SERVICE_UNAVAILABLE')
  resendInvitation(@AdministratorId() administratorId: string, @AdminCaller() caller: Caller) {
    return this.rpc.request(identityRpc.resendInvitation, { administratorId, caller });
  }

  @Post(':administratorId/unlock')
  @HttpCode(200)
  @ApiOperation({ summary: 'Unlock an administrator locked out by failed sign-ins' })
  @ApiReply(200, administratorSchema, 'the administrator as it is now')
  @ApiErrors('ADMINISTRATOR_NOT_FOUND', 'CONFLICT', 'SERVICE_UNAVAILABLE')
  unlock(@AdministratorId() administratorId: string, @AdminCaller() caller: Caller) {
    return this.rpc.request(identityRpc.unlockAdministrator, { administratorId, caller });
  }

  @Post(':administratorId/reset-2fa')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Reset another administrator’s 2FA: they set it up again; their sessions end',
  })
  @ApiReply(200, administratorSchema, 'the administrator as it is now')
  @ApiErrors(
    'ADMINISTRATOR_NOT_FOUND',
    'CANNOT_CHANGE_SELF',
    'TWO_FACTOR_NOT_ENABLED',
    'CONFLICT',
    'SERVICE_UNAVAILABLE',
  )
  resetTwoFactor(@AdministratorId() administratorId: string, @AdminCaller() caller: Caller) {
    return this.rpc.request(identityRpc.resetAdministratorTwoFactor, { administratorId, caller });
  }

  @Post(':administratorId/disable')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Disable an administrator: no sign-in, sessions end',
    description: 'Never oneself, a provider-support account, or the last active super admin.',
  })
  @ApiReply(200, administratorSchema, 'the administrator as it is now')
  @ApiErrors(
    'ADMINISTRATOR_NOT_FOUND',
    'CANNOT_CHANGE_SELF',
    'PROVIDER_SUPPORT_PROTECTED',
    'LAST_SUPER_ADMIN',
    'CONFLICT',
    'SERVICE_UNAVAILABLE',
  )
  disable(@AdministratorId() administratorId: string, @AdminCaller() caller: Caller) {
    return this.rpc.request(identityRpc.disableAdministrator, { administratorId, caller });
  }

  @Post(':administratorId/enable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Enable a disabled administrator again (active, or still invited)' })
  @ApiReply(200, administratorSchema, 'the administrator as it is now')
  @ApiErrors('ADMINISTRATOR_NOT_FOUND', 'CONFLICT', 'SERVICE_UNAVAILABLE')
  enable(@AdministratorId() administratorId: string, @AdminCaller() caller: Caller) {
    return this.rpc.request(identityRpc.enableAdministrator, { administratorId, caller });
  }

  @Delete(':administratorId')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete an administrator; their sessions end',
    description: 'Never oneself, a provider-support account, or the last active super admin.',
  })
  @ApiNoContent(204, 'deleted')
  @ApiErrors(
    'ADMINISTRATOR_NOT_FOUND',
    'CANNOT_CHANGE_SELF',
    'PROVIDER_SUPPORT_PROTECTED',
    'LAST_SUPER_ADMIN',
    'CONFLICT',
    'SERVICE_UNAVAILABLE',
  )
  async delete(
    @AdministratorId() administratorId: string,
    @AdminCaller() caller: Caller,
  ): Promise<void> {
    await this.rpc.request(identityRpc.deleteAdministrator, { administratorId, caller });
  }
}
