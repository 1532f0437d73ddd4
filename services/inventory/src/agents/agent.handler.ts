import { Controller } from '@nestjs/common';
import { type InventoryRequest as Req, inventoryRpc } from '@warden/contracts';
import { RpcHandler } from '@warden/platform';
import { AgentService } from './agent.service';

@Controller()
export class AgentHandler {
  constructor(private readonly agents: AgentService) {}

  @RpcHandler(inventoryRpc.enroll)
  enroll({ caller, ...input }: Req<'enroll'>) {
    return this.agents.enroll(caller, input);
  }

  @RpcHandler(inventoryRpc.deviceCredentials)
  credentials({ caller, ...input }: Req<'deviceCredentials'>) {
    return this.agents.credentials(caller, input);
  }

  @RpcHandler(inventoryRpc.recordCheckins)
  recordCheckins({ caller, ...input }: Req<'recordCheckins'>) {
    return this.agents.recordCheckins(caller, input);
  }

  @RpcHandler(inventoryRpc.recordDetections)
  recordDetections({ caller, ...input }: Req<'recordDetections'>) {
    return this.agents.recordDetections(caller, input);
  }
}
