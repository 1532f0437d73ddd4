import { Controller } from '@nestjs/common';
import { type CommandRequest as Req, commandRpc } from '@warden/contracts';
import { RpcHandler } from '@warden/platform';
import { CommandLifecycle } from './command-lifecycle';
import { CommandService } from './command.service';

@Controller()
export class CommandHandler {
  constructor(
    private readonly commands: CommandService,
    private readonly lifecycle: CommandLifecycle,
  ) {}

  @RpcHandler(commandRpc.previewBulk)
  previewBulk({ caller, ...input }: Req<'previewBulk'>) {
    return this.commands.previewBulk(caller, input);
  }

  @RpcHandler(commandRpc.issueBulk)
  issueBulk({ caller, ...input }: Req<'issueBulk'>) {
    return this.commands.issueBulk(caller, input);
  }

  @RpcHandler(commandRpc.getBulk)
  getBulk({ caller, ...input }: Req<'getBulk'>) {
    return this.commands.getBulk(caller, input);
  }

  @RpcHandler(commandRpc.issueCommand)
  issueCommand({ caller, ...input }: Req<'issueCommand'>) {
    return this.commands.issueCommand(caller, input);
  }

  @RpcHandler(commandRpc.getCommand)
  getCommand({ caller, ...input }: Req<'getCommand'>) {
    return this.commands.getCommand(caller, input);
  }

  @RpcHandler(commandRpc.listCommands)
  listCommands({ caller, ...input }: Req<'listCommands'>) {
    return this.commands.listCommands(caller, input);
  }

  @RpcHandler(commandRpc.cancelCommand)
  cancelCommand({ caller, ...input }: Req<'cancelCommand'>) {
    return this.commands.cancelCommand(caller, input);
  }

  // The agent path (the gateway asks).

  @RpcHandler(commandRpc.deviceMailbox)
  deviceMailbox({ caller: _caller, ...input }: Req<'deviceMailbox'>) {
    return this.commands.deviceMailbox(input);
  }

  @RpcHandler(commandRpc.markDelivered)
  markDelivered({ caller: _caller, ...input }: Req<'markDelivered'>) {
    return this.commands.markDelivered(input);
  }

  @RpcHandler(commandRpc.acknowledge)
  acknowledge({ caller, ...input }: Req<'acknowledge'>) {
    return this.lifecycle.acknowledge(caller, {
      ...input,
      deviceId: input.deviceId.toLowerCase(),
      commandId: input.commandId.toLowerCase(),
    });
  }
}
