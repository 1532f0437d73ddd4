import { Controller } from '@nestjs/common';
import { type LicensingRequest as Req, licensingRpc } from '@warden/contracts';
import { RpcHandler } from '@warden/platform';
import { SeatService } from './seat.service';

@Controller()
export class SeatHandler {
  constructor(private readonly seats: SeatService) {}

  @RpcHandler(licensingRpc.claimSeat)
  claim(request: Req<'claimSeat'>) {
    return this.seats.claim(request.siteId, request.hardwareKey);
  }

  @RpcHandler(licensingRpc.releaseSeat)
  release(request: Req<'releaseSeat'>) {
    return this.seats.release(request.siteId, request.hardwareKey);
  }

  @RpcHandler(licensingRpc.moveSeat)
  move(request: Req<'moveSeat'>) {
    return this.seats.move(request.hardwareKey, request.fromSiteId, request.toSiteId);
  }

  @RpcHandler(licensingRpc.lookupSeat)
  lookup(request: Req<'lookupSeat'>) {
    return this.seats.lookup(request.siteId, request.hardwareKey);
  }
}
