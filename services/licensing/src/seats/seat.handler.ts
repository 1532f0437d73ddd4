import { Controller } from '@nestjs/common';
import { type LicensingRequest as Req, licensingRpc } from '@warden/contracts';
import { RpcHandler } from '@warden/platform';
import { SeatService } from './seat.service';

@Controller()
export class SeatHandler {
  constructor(private readonly seats: SeatService) {}

  @RpcHandler(licensingRpc.claimSeat)
  claim({ caller, ...input }: Req<'claimSeat'>) {
    return this.seats.claim(caller, input);
  }

  @RpcHandler(licensingRpc.claimSeatByKeycode)
  claimByKeycode({ caller, ...input }: Req<'claimSeatByKeycode'>) {
    return this.seats.claimByKeycode(caller, input);
  }

  @RpcHandler(licensingRpc.releaseSeat)
  release({ caller, ...input }: Req<'releaseSeat'>) {
    return this.seats.release(caller, input);
  }

  @RpcHandler(licensingRpc.moveSeat)
  move({ caller, ...input }: Req<'moveSeat'>) {
    return this.seats.move(caller, input);
  }

  @RpcHandler(licensingRpc.lookupSeat)
  lookup({ caller, ...input }: Req<'lookupSeat'>) {
    return this.seats.lookup(caller, input);
  }
}
