import { Body, Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type Caller,
  identityRpc,
  meSchema,
  recoveryCodesSchema,
  twoFactorSetupSchema,
} from '@warden/contracts';
import type { z } from 'zod';
import { AdminCaller, SessionId, ConsoleSession } from '../auth/console-auth';
import { OpaqueParam } from '../http/opaque-param';
import { ApiErrors, ApiNoContent, ApiReply, ApiZodBody } from '../http/openapi';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import {
  changePasswordBody,
  confirmTwoFactorSetupBody,
  disableTwoFactorBody,
  startTwoFactorSetupBody,
  updateMeBody,
} from './console.schemas';
import { IdentityClient } from './identity-client';

const SetupId = () => OpaqueParam('setupId', 'the `setupId` of step 1');

/** The signed-in administrator's own account: profile, password, 2FA (DESIGN §3 journey 4). */
@ApiTags('console: my account')
@ConsoleSession()
@Controller('api/v1/me')
export class MeController {
  constructor(private readonly identity: IdentityClient) {}

  @Get()
  @ApiOperation({ summary: 'Who I am: account, console, site access, 2FA' })
  @ApiReply(200, meSchema)
  @ApiErrors('SERVICE_UNAVAILABLE')
  get(@AdminCaller() caller: Caller) {
    return this.identity.request(identityRpc.getMe, { caller });
  }

  @Patch()
  @ApiOperation({ summary: 'Change my language' })
  @ApiZodBody(updateMeBody)
  @ApiReply(200, meSchema, 'my account as it is now')
  @ApiErrors('SERVICE_UNAVAILABLE')
  update(
    @Body(new ZodValidationPipe(updateMeBody, 'body')) body: z.output<typeof updateMeBody>,
    @AdminCaller() caller: Caller,
  ) {
    return this.identity.request(identityRpc.updateMe, { ...body, caller });
  }

  @Post('password')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Change my password (the current one confirms it); my other sessions end',
    description:
      'A wrong current password answers CREDENTIALS_INCORRECT; a new one that breaks a rule, ' +
      'VALIDATION_FAILED with `details.fields.newPassword` naming the rules. This session goes ' +
      'on; every other session of the account ends (their access tokens within 15 minutes).',
  })
  @ApiZodBody(changePasswordBody)
  @ApiNoContent(204, 'changed')
  @ApiErrors('CREDENTIALS_INCORRECT', 'SERVICE_UNAVAILABLE')
  async changePassword(
    @Body(new ZodValidationPipe(changePasswordBody, 'body'))
    body: z.output<typeof changePasswordBody>,
    @SessionId() sessionId: string,
    @AdminCaller() caller: Caller,
  ): Promise<void> {
    await this.identity.request(identityRpc.changePassword, { ...body, sessionId, caller });
  }

  @Post('2fa/setup')
  @ApiOperation({
    summary: '2FA step 1: two more security questions answered → a new TOTP secret and QR code',
    description:
      'Nothing changes on the account until step 2 confirms a code from the app; an ' +
      'abandoned setup expires and leaves the account as it was.',
  })
  @ApiZodBody(startTwoFactorSetupBody)
  @ApiReply(201, twoFactorSetupSchema, 'the secret, its otpauth:// URI and a QR code of it')
  @ApiErrors('TWO_FACTOR_ALREADY_ENABLED', 'SERVICE_UNAVAILABLE')
  startTwoFactorSetup(
    @Body(new ZodValidationPipe(startTwoFactorSetupBody, 'body'))
    body: z.output<typeof startTwoFactorSetupBody>,
    @AdminCaller() caller: Caller,
  ) {
    return this.identity.request(identityRpc.startTwoFactorSetup, { ...body, caller });
  }

  @Post('2fa/setup/:setupId/confirm')
  @HttpCode(200)
  @ApiOperation({
    summary: '2FA step 2: a code from the app → 2FA on, and one-time recovery codes',
    description: 'The recovery codes are shown this once: the console must say so.',
  })
  @ApiZodBody(confirmTwoFactorSetupBody)
  @ApiReply(200, recoveryCodesSchema)
  @ApiErrors(
    'TWO_FACTOR_SETUP_NOT_FOUND',
    'TWO_FACTOR_CODE_INVALID',
    'TWO_FACTOR_ALREADY_ENABLED',
    'SERVICE_UNAVAILABLE',
  )
  confirmTwoFactorSetup(
    @SetupId() setupId: string,
    @Body(new ZodValidationPipe(confirmTwoFactorSetupBody, 'body'))
    body: z.output<typeof confirmTwoFactorSetupBody>,
    @AdminCaller() caller: Caller,
  ) {
    return this.identity.request(identityRpc.confirmTwoFactorSetup, { ...body, setupId, caller });
  }

  @Delete('2fa/setup/:setupId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Cancel a 2FA setup: the account stays exactly as it was' })
  @ApiNoContent(204, 'cancelled')
  @ApiErrors('TWO_FACTOR_SETUP_NOT_FOUND', 'SERVICE_UNAVAILABLE')
  async cancelTwoFactorSetup(
    @SetupId() setupId: string,
    @AdminCaller() caller: Caller,
  ): Promise<void> {
    await this.identity.request(identityRpc.cancelTwoFactorSetup, { setupId, caller });
  }

  @Post('2fa/disable')
  @HttpCode(204)
  @ApiOperation({ summary: 'Turn 2FA off: my password and a current code from the app' })
  @ApiZodBody(disableTwoFactorBody)
  @ApiNoContent(204, '2FA is off')
  @ApiErrors('CREDENTIALS_INCORRECT', 'TWO_FACTOR_NOT_ENABLED', 'SERVICE_UNAVAILABLE')
  async disableTwoFactor(
    @Body(new ZodValidationPipe(disableTwoFactorBody, 'body'))
    body: z.output<typeof disableTwoFactorBody>,
    @AdminCaller() caller: Caller,
  ): Promise<void> {
    await this.identity.request(identityRpc.disableTwoFactor, { ...body, caller });
  }
}
