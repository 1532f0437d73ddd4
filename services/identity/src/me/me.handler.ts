import { Controller } from '@nestjs/common';
import { type IdentityRequest as Req, identityRpc } from '@warden/contracts';
import { RpcHandler } from '@warden/platform';
import { TwoFactorService } from '../two-factor/two-factor.service';
import { MeService } from './me.service';

/** The signed-in administrator: profile, password and second factor. */
@Controller()
export class MeHandler {
  constructor(
    private readonly me: MeService,
    private readonly twoFactor: TwoFactorService,
  ) {}

  @RpcHandler(identityRpc.getMe)
  get({ caller }: Req<'getMe'>) {
    return this.me.get(caller);
  }

  @RpcHandler(identityRpc.updateMe)
  update({ caller, ...input }: Req<'updateMe'>) {
    return this.me.update(caller, input);
  }

  @RpcHandler(identityRpc.changePassword)
  changePassword({ caller, ...input }: Req<'changePassword'>) {
    return this.me.changePassword(caller, input);
  }

  @RpcHandler(identityRpc.startTwoFactorSetup)
  startTwoFactorSetup({ caller, ...input }: Req<'startTwoFactorSetup'>) {
    return this.twoFactor.start(caller, input);
  }

  @RpcHandler(identityRpc.confirmTwoFactorSetup)
  confirmTwoFactorSetup({ caller, ...input }: Req<'confirmTwoFactorSetup'>) {
    return this.twoFactor.confirm(caller, input);
  }

  @RpcHandler(identityRpc.cancelTwoFactorSetup)
  cancelTwoFactorSetup({ caller, ...input }: Req<'cancelTwoFactorSetup'>) {
    return this.twoFactor.cancel(caller, input);
  }

  @RpcHandler(identityRpc.disableTwoFactor)
  disableTwoFactor({ caller, ...input }: Req<'disableTwoFactor'>) {
    return this.twoFactor.disable(caller, input);
  }
}
