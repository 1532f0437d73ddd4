import { Controller } from '@nestjs/common';
import { type InventoryRequest as Req, inventoryRpc } from '@warden/contracts';
import { RpcHandler } from '@warden/platform';
import { PolicyUsageService } from './policy-usage.service';

@Controller()
export class PolicyUsageHandler {
  constructor(private readonly usage: PolicyUsageService) {}

  @RpcHandler(inventoryRpc.policyUsage)
  usageOf({ caller, ...input }: Req<'policyUsage'>) {
    return this.usage.usage(caller, input);
  }

  @RpcHandler(inventoryRpc.policyEndpointCounts)
  endpointCounts({ caller, ...input }: Req<'policyEndpointCounts'>) {
    return this.usage.endpointCounts(caller, input);
  }

  @RpcHandler(inventoryRpc.replacePolicy)
  replace({ caller, ...input }: Req<'replacePolicy'>) {
    return this.usage.replace(caller, input);
  }
}
