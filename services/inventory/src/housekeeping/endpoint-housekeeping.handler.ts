import { Controller } from '@nestjs/common';
import { type InventoryRequest as Req, inventoryRpc } from '@warden/contracts';
import { RpcHandler } from '@warden/platform';
import { EndpointHousekeepingService } from './endpoint-housekeeping.service';

/** The command service's housekeeping jobs (issue 12). */
@Controller()
export class EndpointHousekeepingHandler {
  constructor(private readonly housekeeping: EndpointHousekeepingService) {}

  @RpcHandler(inventoryRpc.markStale)
  markStale({ caller }: Req<'markStale'>) {
    return this.housekeeping.markStale(caller);
  }

  @RpcHandler(inventoryRpc.siteDevices)
  siteDevices({ caller, ...input }: Req<'siteDevices'>) {
    return this.housekeeping.siteDevices(caller, input);
  }

  @RpcHandler(inventoryRpc.siteReport)
  siteReport({ caller, ...input }: Req<'siteReport'>) {
    return this.housekeeping.siteReport(caller, input);
  }
}
