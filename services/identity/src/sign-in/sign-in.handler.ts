import { Controller } from '@nestjs/common';
import { type IdentityRequest as Req, identityRpc } from '@warden/contracts';
import { DomainError, RpcHandler } from '@warden/platform';
import { RecoveryService } from '../recovery/recovery.service';
import { SessionService } from '../sessions/session.service';
import { evenOutFailure, withEvenFailures } from './even-timing';
import { LoginService } from './login.service';

const isLoginFailed = (error: unknown) =>
  error instanceof DomainError && error.code === 'LOGIN_FAILED';

/**
 * The sign-in side: login steps, sessions and password recovery. Failed
 * steps and recovery answers are evened out in time (even-timing.ts), so how
 * long a reply takes says no more than the reply.
 */
@Controller()
export class SignInHandler {
  constructor(
    private readonly login: LoginService,
    private readonly sessions: SessionService,
    private readonly recovery: RecoveryService,
  ) {}

  @RpcHandler(identityRpc.login)
  start({ caller, ...input }: Req<'login'>) {
    return withEvenFailures(() => this.login.start(caller, input), isLoginFailed);
  }

  @RpcHandler(identityRpc.loginSecurityCode)
  securityCode({ caller, ...input }: Req<'loginSecurityCode'>) {
    return withEvenFailures(() => this.login.securityCode(caller, input), isLoginFailed);
  }

  @RpcHandler(identityRpc.loginTotp)
  totp({ caller, ...input }: Req<'loginTotp'>) {
    return withEvenFailures(() => this.login.totp(caller, input), isLoginFailed);
  }

  @RpcHandler(identityRpc.refreshSession)
  refresh({ caller, ...input }: Req<'refreshSession'>) {
    return this.sessions.refresh(caller, input);
  }

  @RpcHandler(identityRpc.logout)
  logout({ caller, ...input }: Req<'logout'>) {
    return this.sessions.logout(caller, input);
  }

  @RpcHandler(identityRpc.startRecovery)
  async startRecovery({ caller, ...input }: Req<'startRecovery'>) {
    // Known or not, the same answer in the same time.
    const startedAt = performance.now();
    const reply = await this.recovery.start(caller, input);
    await evenOutFailure(startedAt);
    return reply;
  }

  @RpcHandler(identityRpc.answerRecovery)
  async answerRecovery({ caller, ...input }: Req<'answerRecovery'>) {
    // Right, wrong or for nobody: always 202, always in the same time.
    const startedAt = performance.now();
    const reply = await this.recovery.answer(caller, input);
    await evenOutFailure(startedAt);
    return reply;
  }

  @RpcHandler(identityRpc.resetPassword)
  resetPassword({ caller, ...input }: Req<'resetPassword'>) {
    return this.recovery.reset(caller, input);
  }
}
