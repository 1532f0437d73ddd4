import { Controller } from '@nestjs/common';
import { type InventoryRequest as Req, inventoryRpc } from '@warden/contracts';
import { RpcHandler } from '@warden/platform';
import { EndpointService } from './endpoint.service';

@Controller()
export class EndpointHandler {
  constructor(private readonly endpoints: EndpointService) {}

  @RpcHandler(inventoryRpc.listEndpoints)
  list({ caller, ...input }: Req<'listEndpoints'>) {
    return this.endpoints.list(caller, input);
  }

  @RpcHandler(inventoryRpc.endpointStatusCounts)
  statusCounts({ caller, ...input }: Req<'endpointStatusCounts'>) {
    return this.endpoints.statusCounts(caller, input);
  }

  @RpcHandler(inventoryRpc.getEndpoint)
  get({ caller, ...input }: Req<'getEndpoint'>) {
    return this.endpoints.get(caller, input);
  }

  @RpcHandler(inventoryRpc.setEndpointPolicy)
  setPolicy({ caller, ...input }: Req<'setEndpointPolicy'>) {
    return this.endpoints.setPolicy(caller, input);
  }

  @RpcHandler(inventoryRpc.moveEndpoints)
  move({ caller, ...input }: Req<'moveEndpoints'>) {
    return this.endpoints.move(caller, input);
  }
}
