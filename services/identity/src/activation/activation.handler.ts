import { Controller } from '@nestjs/common';
import { type IdentityRequest as Req, identityRpc } from '@warden/contracts';
import { RpcHandler } from '@warden/platform';
import { ActivationService } from './activation.service';

@Controller()
export class ActivationHandler {
  constructor(private readonly activation: ActivationService) {}

  @RpcHandler(identityRpc.getActivation)
  get({ caller, ...input }: Req<'getActivation'>) {
    return this.activation.get(caller, input);
  }

  @RpcHandler(identityRpc.completeActivation)
  complete({ caller, ...input }: Req<'completeActivation'>) {
    return this.activation.complete(caller, input);
  }
}
