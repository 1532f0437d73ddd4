import { Controller } from '@nestjs/common';
import { type LicensingRequest as Req, licensingRpc } from '@warden/contracts';
import { RpcHandler } from '@warden/platform';
import { ConsoleService } from './console.service';

/** NATS in, service out: every method is `verb({ caller, ...input })` → `service.verb(caller, input)`. */
@Controller()
export class ConsoleHandler {
  constructor(private readonly consoles: ConsoleService) {}

  @RpcHandler(licensingRpc.createConsole)
  create({ caller, ...input }: Req<'createConsole'>) {
    return this.consoles.create(caller, input);
  }

  @RpcHandler(licensingRpc.getConsole)
  get({ caller, ...input }: Req<'getConsole'>) {
    return this.consoles.get(caller, input);
  }

  @RpcHandler(licensingRpc.listConsoles)
  list({ caller, ...input }: Req<'listConsoles'>) {
    return this.consoles.list(caller, input);
  }

  @RpcHandler(licensingRpc.suspendConsole)
  suspend({ caller, ...input }: Req<'suspendConsole'>) {
    return this.consoles.suspend(caller, input);
  }

  @RpcHandler(licensingRpc.resumeConsole)
  resume({ caller, ...input }: Req<'resumeConsole'>) {
    return this.consoles.resume(caller, input);
  }

  @RpcHandler(licensingRpc.convertConsole)
  convert({ caller, ...input }: Req<'convertConsole'>) {
    return this.consoles.convert(caller, input);
  }

  @RpcHandler(licensingRpc.extendTrial)
  extendTrial({ caller, ...input }: Req<'extendTrial'>) {
    return this.consoles.extendTrial(caller, input);
  }

  @RpcHandler(licensingRpc.getConsoleSettings)
  getSettings({ caller, ...input }: Req<'getConsoleSettings'>) {
    return this.consoles.getSettings(caller, input);
  }

  @RpcHandler(licensingRpc.updateConsoleSettings)
  updateSettings({ caller, ...input }: Req<'updateConsoleSettings'>) {
    return this.consoles.updateSettings(caller, input);
  }
}
