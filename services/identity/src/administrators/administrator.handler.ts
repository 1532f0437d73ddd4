import { Controller } from '@nestjs/common';
import { type IdentityRequest as Req, identityRpc } from '@warden/contracts';
import { RpcHandler } from '@warden/platform';
import { AdministratorService } from './administrator.service';

/** NATS in, service out: every method is `verb({ caller, ...input })` → `service.verb(caller, input)`. */
@Controller()
export class AdministratorHandler {
  constructor(private readonly administrators: AdministratorService) {}

  @RpcHandler(identityRpc.inviteInitialAdministrators)
  inviteInitial({ caller, ...input }: Req<'inviteInitialAdministrators'>) {
    return this.administrators.inviteInitial(caller, input);
  }

  @RpcHandler(identityRpc.listConsoleAdministrators)
  list({ caller, ...input }: Req<'listConsoleAdministrators'>) {
    return this.administrators.list(caller, input);
  }

  @RpcHandler(identityRpc.alertRecipients)
  alertRecipients({ caller, ...input }: Req<'alertRecipients'>) {
    return this.administrators.alertRecipients(caller, input);
  }

  @RpcHandler(identityRpc.resendActivation)
  resendActivation({ caller, ...input }: Req<'resendActivation'>) {
    return this.administrators.resendActivation(caller, input);
  }

  @RpcHandler(identityRpc.addProviderSupport)
  addProviderSupport({ caller, ...input }: Req<'addProviderSupport'>) {
    return this.administrators.addProviderSupport(caller, input);
  }

  @RpcHandler(identityRpc.listAdministrators)
  page({ caller, ...input }: Req<'listAdministrators'>) {
    return this.administrators.page(caller, input);
  }

  @RpcHandler(identityRpc.getAdministrator)
  get({ caller, ...input }: Req<'getAdministrator'>) {
    return this.administrators.get(caller, input);
  }

  @RpcHandler(identityRpc.addAdministrator)
  add({ caller, ...input }: Req<'addAdministrator'>) {
    return this.administrators.add(caller, input);
  }

  @RpcHandler(identityRpc.updateAdministrator)
  update({ caller, ...input }: Req<'updateAdministrator'>) {
    return this.administrators.update(caller, input);
  }

  @RpcHandler(identityRpc.resendInvitation)
  resendInvitation({ caller, ...input }: Req<'resendInvitation'>) {
    return this.administrators.resendInvitation(caller, input);
  }

  @RpcHandler(identityRpc.unlockAdministrator)
  unlock({ caller, ...input }: Req<'unlockAdministrator'>) {
    return this.administrators.unlock(caller, input);
  }

  @RpcHandler(identityRpc.resetAdministratorTwoFactor)
  resetTwoFactor({ caller, ...input }: Req<'resetAdministratorTwoFactor'>) {
    return this.administrators.resetTwoFactor(caller, input);
  }

  @RpcHandler(identityRpc.disableAdministrator)
  disable({ caller, ...input }: Req<'disableAdministrator'>) {
    return this.administrators.disable(caller, input);
  }

  @RpcHandler(identityRpc.enableAdministrator)
  enable({ caller, ...input }: Req<'enableAdministrator'>) {
    return this.administrators.enable(caller, input);
  }

  @RpcHandler(identityRpc.deleteAdministrator)
  delete({ caller, ...input }: Req<'deleteAdministrator'>) {
    return this.administrators.delete(caller, input);
  }
}
