import { Controller } from '@nestjs/common';
import { type LicensingRequest as Req, licensingRpc } from '@warden/contracts';
import { RpcHandler } from '@warden/platform';
import { SiteHousekeepingService } from './site-housekeeping.service';

/** The command service's housekeeping jobs (issue 12). */
@Controller()
export class SiteHousekeepingHandler {
  constructor(private readonly housekeeping: SiteHousekeepingService) {}

  @RpcHandler(licensingRpc.listAllSites)
  listAllSites({ caller, ...input }: Req<'listAllSites'>) {
    return this.housekeeping.listAllSites(caller, input);
  }

  @RpcHandler(licensingRpc.siteLeases)
  siteLeases({ caller, ...input }: Req<'siteLeases'>) {
    return this.housekeeping.siteLeases(caller, input);
  }

  @RpcHandler(licensingRpc.lowerSlotRange)
  lowerSlotRange({ caller, ...input }: Req<'lowerSlotRange'>) {
    return this.housekeeping.lowerSlotRange(caller, input);
  }
}
