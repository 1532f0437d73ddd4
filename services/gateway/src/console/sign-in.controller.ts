import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type Caller,
  type ErrorCode,
  identityRpc,
  idSchema,
  loginChallengeSchema,
  securityCodeReplySchema,
  sessionSchema,
} from '@warden/contracts';
import { DomainError } from '@warden/platform';
import type { z } from 'zod';
import { AdminCaller, AnonymousCaller, ConsoleSession, SessionId } from '../auth/console-auth';
import { PublicSignIn } from '../auth/route-access';
import { SessionRevocations } from '../auth/session-revocations';
import { OpaqueParam } from '../http/opaque-param';
import { ApiErrors, ApiNoContent, ApiReply, ApiZodBody } from '../http/openapi';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { loginBody, refreshBody, securityCodeBody, totpBody } from './console.schemas';
import { IdentityClient } from './identity-client';

/**
 * A failed step answers LOGIN_FAILED whatever was wrong; ACCOUNT_LOCKED and
 * ACCOUNT_DISABLED only to a caller who gave the right password (DESIGN §7b).
 */
const STEP_ERRORS: ErrorCode[] = [
  'LOGIN_FAILED',
  'ACCOUNT_LOCKED',
  'ACCOUNT_DISABLED',
  'SERVICE_UNAVAILABLE',
];

const LoginId = () => OpaqueParam('loginId', 'the `loginId` of the first step');

/** `<session id>.<secret>`: the session a refresh token belongs to, if it reads as one. */
export function sessionIdOfRefreshToken(refreshToken: string): string | null {
  const dot = refreshToken.indexOf('.');
  if (dot < 0) return null;
  const parsed = idSchema.safeParse(refreshToken.slice(0, dot));
  return parsed.success ? parsed.data.toLowerCase() : null;
}

/** Signing in, in up to three steps (DESIGN §7b), and the session that results. */
@ApiTags('console: sign-in')
@Controller('api/v1/auth')
export class SignInController {
  constructor(
    private readonly identity: IdentityClient,
    private readonly revocations: SessionRevocations,
  ) {}

  @Post('login')
  @PublicSignIn()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Step 1: e-mail (or phone) and password → two positions of the security code',
    description:
      'A `loginId` lives 5 minutes and serves one attempt at each step. A wrong login or ' +
      'password answers LOGIN_FAILED, the same as any other failed step.',
  })
  @ApiZodBody(loginBody)
  @ApiReply(200, loginChallengeSchema, 'type the characters at these 1-based positions, in order')
  @ApiErrors(...STEP_ERRORS)
  login(
    @Body(new ZodValidationPipe(loginBody, 'body')) body: z.output<typeof loginBody>,
    @AnonymousCaller() caller: Caller,
  ) {
    return this.identity.request(identityRpc.login, { ...body, caller });
  }

  @Post('login/:loginId/security-code')
  @PublicSignIn()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Step 2: the two characters of the security code → the session, or step 3',
    description:
      'With 2FA on, the reply is `{loginId, step: "totp"}`; else it is the session, whose ' +
      '`twoFactor: "not_set_up"` lets the console offer to set it up.',
  })
  @ApiZodBody(securityCodeBody)
  @ApiReply(200, securityCodeReplySchema, 'the next step, or the session')
  @ApiErrors(...STEP_ERRORS)
  securityCode(
    @LoginId() loginId: string,
    @Body(new ZodValidationPipe(securityCodeBody, 'body')) body: z.output<typeof securityCodeBody>,
    @AnonymousCaller() caller: Caller,
  ) {
    return this.identity.request(identityRpc.loginSecurityCode, { ...body, loginId, caller });
  }

  @Post('login/:loginId/totp')
  @PublicSignIn()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Step 3: a code from the authenticator app, or a one-time recovery code → the session',
    description: 'Exactly one of `code` and `recoveryCode`.',
  })
  @ApiZodBody(totpBody)
  @ApiReply(200, sessionSchema)
  @ApiErrors(...STEP_ERRORS)
  totp(
    @LoginId() loginId: string,
    @Body(new ZodValidationPipe(totpBody, 'body')) body: z.output<typeof totpBody>,
    @AnonymousCaller() caller: Caller,
  ) {
    return this.identity.request(identityRpc.loginTotp, { ...body, loginId, caller });
  }

  @Post('refresh')
  @PublicSignIn()
  @HttpCode(200)
  @ApiOperation({
    summary: 'A new session for a refresh token, which is then spent',
    description:
      'Each refresh token works once. One presented again ends its whole session: ' +
      'SESSION_INVALID, and the access tokens of that session stop working at once.',
  })
  @ApiZodBody(refreshBody)
  @ApiReply(200, sessionSchema, 'a new access token and refresh token')
  @ApiErrors('SESSION_INVALID', 'SERVICE_UNAVAILABLE')
  async refresh(
    @Body(new ZodValidationPipe(refreshBody, 'body')) body: z.output<typeof refreshBody>,
    @AnonymousCaller() caller: Caller,
  ) {
    try {
      return await this.identity.request(identityRpc.refreshSession, { ...body, caller });
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'SESSION_INVALID') throw error;
      // Identity ended the session (a token used twice, a disabled account): so do its
      // access tokens here. Only then: a made-up secret for a known session id ends nothing.
      const sessionId = sessionIdOfRefreshToken(body.refreshToken);
      if (error.details?.['sessionEnded'] === true && sessionId) {
        await this.revocations.revoke(sessionId);
      }
      throw new DomainError('SESSION_INVALID', error.message);
    }
  }

  @Post('logout')
  @ConsoleSession()
  @HttpCode(204)
  @ApiOperation({
    summary: 'End this session: its refresh token and its access tokens stop working at once',
  })
  @ApiNoContent(204, 'signed out (also when the session had already ended)')
  @ApiErrors('SERVICE_UNAVAILABLE')
  async logout(@SessionId() sessionId: string, @AdminCaller() caller: Caller): Promise<void> {
    await this.identity.request(identityRpc.logout, { sessionId, caller });
    await this.revocations.revoke(sessionId);
  }
}
