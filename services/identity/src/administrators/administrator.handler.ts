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

  @RpcHandler(identityRpc.resendActivation)
  resendActivation({ caller, ...input }: Req<'resendActivation'>) {
    return this.administrators.resendActivation(caller, input);
  }
}
