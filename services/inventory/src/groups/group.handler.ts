import { Controller } from '@nestjs/common';
import { type InventoryRequest as Req, inventoryRpc } from '@warden/contracts';
import { RpcHandler } from '@warden/platform';
import { GroupService } from './group.service';

@Controller()
export class GroupHandler {
  constructor(private readonly groups: GroupService) {}

  @RpcHandler(inventoryRpc.listGroups)
  list({ caller, ...input }: Req<'listGroups'>) {
    return this.groups.list(caller, input);
  }

  @RpcHandler(inventoryRpc.createGroup)
  create({ caller, ...input }: Req<'createGroup'>) {
    return this.groups.create(caller, input);
  }

  @RpcHandler(inventoryRpc.updateGroup)
  update({ caller, ...input }: Req<'updateGroup'>) {
    return this.groups.update(caller, input);
  }

  @RpcHandler(inventoryRpc.deleteGroup)
  delete({ caller, ...input }: Req<'deleteGroup'>) {
    return this.groups.delete(caller, input);
  }
}
