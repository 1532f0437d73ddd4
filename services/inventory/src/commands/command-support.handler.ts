import { Controller } from '@nestjs/common';
import { type InventoryRequest as Req, inventoryRpc } from '@warden/contracts';
import { RpcHandler } from '@warden/platform';
import { CommandTargetService } from './command-targets.service';
import { EndpointLifecycleService } from './endpoint-lifecycle.service';

/** What the command service asks inventory about the endpoints it commands (issue 12). */
@Controller()
export class CommandSupportHandler {
  constructor(
    private readonly targets: CommandTargetService,
    private readonly lifecycle: EndpointLifecycleService,
  ) {}

  @RpcHandler(inventoryRpc.resolveCommandTargets)
  resolveTargets({ caller, ...input }: Req<'resolveCommandTargets'>) {
    return this.targets.resolve(caller, input);
  }

  @RpcHandler(inventoryRpc.setLifecycle)
  setLifecycle({ caller, ...input }: Req<'setLifecycle'>) {
    return this.lifecycle.setLifecycle(caller, input);
  }

  @RpcHandler(inventoryRpc.deviceFacts)
  deviceFacts({ caller, ...input }: Req<'deviceFacts'>) {
    return this.lifecycle.deviceFacts(caller, input);
  }

  @RpcHandler(inventoryRpc.deviceByHardwareKey)
  deviceByHardwareKey({ caller, ...input }: Req<'deviceByHardwareKey'>) {
    return this.lifecycle.deviceByHardwareKey(caller, input);
  }

  @RpcHandler(inventoryRpc.retireEndpoint)
  retire({ caller, ...input }: Req<'retireEndpoint'>) {
    return this.lifecycle.retire(caller, input);
  }
}
