import { Controller } from '@nestjs/common';
import { type IdentityRequest as Req, identityRpc } from '@warden/contracts';
import { RpcHandler } from '@warden/platform';
import { RecoveryService } from '../recovery/recovery.service';
import { SessionService } from '../sessions/session.service';
import { LoginService } from './login.service';

/** The sign-in side: login steps, sessions and password recovery. */
@Controller()
export class SignInHandler {
  constructor(
    private readonly login: LoginService,
    private readonly sessions: SessionService,
    private readonly recovery: RecoveryService,
  ) {}

  @RpcHandler(identityRpc.login)
  start({ caller, ...input }: Req<'login'>) {
    return this.login.start(caller, input);
  }

  @RpcHandler(identityRpc.loginSecurityCode)
  securityCode({ caller, ...input }: Req<'loginSecurityCode'>) {
    return this.login.securityCode(caller, input);
  }

  @RpcHandler(identityRpc.loginTotp)
  totp({ caller, ...input }: Req<'loginTotp'>) {
    return this.login.totp(caller, input);
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
  startRecovery({ caller, ...input }: Req<'startRecovery'>) {
    return this.recovery.start(caller, input);
  }

  @RpcHandler(identityRpc.answerRecovery)
  answerRecovery({ caller, ...input }: Req<'answerRecovery'>) {
    return this.recovery.answer(caller, input);
  }

  @RpcHandler(identityRpc.resetPassword)
  resetPassword({ caller, ...input }: Req<'resetPassword'>) {
    return this.recovery.reset(caller, input);
  }
}
