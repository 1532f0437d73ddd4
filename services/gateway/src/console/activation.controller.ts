import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { activationViewSchema, type Caller, type ErrorCode, identityRpc } from '@warden/contracts';
import type { z } from 'zod';
import { AnonymousCaller } from '../auth/console-auth';
import { PublicSignIn } from '../auth/route-access';
import { OpaqueParam } from '../http/opaque-param';
import { ApiErrors, ApiNoContent, ApiReply, ApiZodBody } from '../http/openapi';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { activationBody } from './console.schemas';
import { IdentityClient } from './identity-client';

/** Why a link no longer (or never did) open a registration form. */
const LINK_ERRORS: ErrorCode[] = [
  'ACTIVATION_LINK_UNKNOWN',
  'ACTIVATION_LINK_EXPIRED',
  'ACTIVATION_LINK_USED',
  'ACTIVATION_LINK_REPLACED',
  'ACTIVATION_LINK_LOCKED',
];

const Token = () => OpaqueParam('token', 'the token of the link in the activation e-mail');

/** The link in the activation e-mail (DESIGN §3 journey 2): the registration form. */
@ApiTags('console: activation')
@PublicSignIn()
@Controller('api/v1/activation')
export class ActivationController {
  constructor(private readonly identity: IdentityClient) {}

  @Get(':token')
  @ApiOperation({
    summary: 'Whose account an activation link registers, for which console, until when',
  })
  @ApiReply(200, activationViewSchema)
  @ApiErrors(...LINK_ERRORS, 'SERVICE_UNAVAILABLE')
  get(@Token() token: string, @AnonymousCaller() caller: Caller) {
    return this.identity.request(identityRpc.getActivation, { caller, token });
  }

  @Post(':token')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Register: temporary password, new password, security code, question and answer',
    description:
      'Every broken rule comes back at once as VALIDATION_FAILED, `details.fields` naming ' +
      'each field and its rules (`password: [min_digits]`, `temporaryPassword: [incorrect]`). ' +
      'Too many wrong temporary passwords lock the link (ACTIVATION_LINK_LOCKED).',
  })
  @ApiZodBody(activationBody)
  @ApiNoContent(204, 'the account is active: sign in with the new password')
  @ApiErrors(...LINK_ERRORS, 'SERVICE_UNAVAILABLE')
  async complete(
    @Token() token: string,
    @Body(new ZodValidationPipe(activationBody, 'body')) body: z.output<typeof activationBody>,
    @AnonymousCaller() caller: Caller,
  ): Promise<void> {
    await this.identity.request(identityRpc.completeActivation, { ...body, token, caller });
  }
}
