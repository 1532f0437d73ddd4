import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Caller, identityRpc, recoveryChallengeSchema } from '@warden/contracts';
import type { z } from 'zod';
import { AnonymousCaller } from '../auth/console-auth';
import { PublicSignIn } from '../auth/route-access';
import { OpaqueParam } from '../http/opaque-param';
import { ApiErrors, ApiNoContent, ApiReply, ApiZodBody } from '../http/openapi';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { answerRecoveryBody, resetPasswordBody, startRecoveryBody } from './console.schemas';
import { IdentityClient } from './identity-client';

/** A forgotten password (DESIGN §3 journey 5): e-mail → security question → reset link. */
@ApiTags('console: password recovery')
@PublicSignIn()
@Controller('api/v1/auth')
export class RecoveryController {
  constructor(private readonly identity: IdentityClient) {}

  @Post('recovery')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Start: the e-mail address → the security question to answer',
    description:
      'An unknown address gets a question too (the same one each time), so the reply ' +
      'never tells whether an account exists.',
  })
  @ApiZodBody(startRecoveryBody)
  @ApiReply(200, recoveryChallengeSchema)
  @ApiErrors('SERVICE_UNAVAILABLE')
  start(
    @Body(new ZodValidationPipe(startRecoveryBody, 'body'))
    body: z.output<typeof startRecoveryBody>,
    @AnonymousCaller() caller: Caller,
  ) {
    return this.identity.request(identityRpc.startRecovery, { ...body, caller });
  }

  @Post('recovery/:recoveryId')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Answer the security question: a reset link goes to the address if it was right',
    description: 'The reply is the same whether the answer was right: only the e-mail tells.',
  })
  @ApiZodBody(answerRecoveryBody)
  @ApiNoContent(202, 'if the answer was right, a reset link is on its way by e-mail')
  @ApiErrors('SERVICE_UNAVAILABLE')
  async answer(
    @OpaqueParam('recoveryId', 'the `recoveryId` of the first step') recoveryId: string,
    @Body(new ZodValidationPipe(answerRecoveryBody, 'body'))
    body: z.output<typeof answerRecoveryBody>,
    @AnonymousCaller() caller: Caller,
  ): Promise<void> {
    await this.identity.request(identityRpc.answerRecovery, { ...body, recoveryId, caller });
  }

  @Post('reset/:token')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Choose a new password with the link from the reset e-mail',
    description:
      'A broken password rule comes back as VALIDATION_FAILED, `details.fields` naming it.',
  })
  @ApiZodBody(resetPasswordBody)
  @ApiNoContent(204, 'the password is changed: sign in with it')
  @ApiErrors('RESET_LINK_UNKNOWN', 'RESET_LINK_EXPIRED', 'RESET_LINK_USED', 'SERVICE_UNAVAILABLE')
  async reset(
    @OpaqueParam('token', 'the token of the link in the reset e-mail') token: string,
    @Body(new ZodValidationPipe(resetPasswordBody, 'body'))
    body: z.output<typeof resetPasswordBody>,
    @AnonymousCaller() caller: Caller,
  ): Promise<void> {
    await this.identity.request(identityRpc.resetPassword, { ...body, token, caller });
  }
}
