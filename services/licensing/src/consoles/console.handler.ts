import { Controller } from '@nestjs/common';
import { type LicensingRequest as Req, licensingRpc } from '@warden/contracts';
import { RpcHandler } from '@warden/platform';
import { ConsoleService } from './console.service';

@Controller()
export class ConsoleHandler {
  constructor(private readonly consoles: ConsoleService) {}

  @RpcHandler(licensingRpc.createConsole)
  create(request: Req<'createConsole'>) {
    return this.consoles.create(request);
  }

  @RpcHandler(licensingRpc.getConsole)
  get(request: Req<'getConsole'>) {
    return this.consoles.get(request.consoleId);
  }

  @RpcHandler(licensingRpc.listConsoles)
  list(request: Req<'listConsoles'>) {
    return this.consoles.list(request);
  }

  @RpcHandler(licensingRpc.suspendConsole)
  suspend(request: Req<'suspendConsole'>) {
    return this.consoles.suspend(request.consoleId, request.audit);
  }

  @RpcHandler(licensingRpc.resumeConsole)
  resume(request: Req<'resumeConsole'>) {
    return this.consoles.resume(request.consoleId, request.audit);
  }

  @RpcHandler(licensingRpc.convertConsole)
  convert(request: Req<'convertConsole'>) {
    return this.consoles.convert(request.consoleId, request.audit);
  }

  @RpcHandler(licensingRpc.extendTrial)
  extendTrial(request: Req<'extendTrial'>) {
    return this.consoles.extendTrial(request);
  }
}
