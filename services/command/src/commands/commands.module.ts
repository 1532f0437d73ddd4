import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { DeactivationVerifier } from '../deactivation/deactivation-verifier';
import { KeycodeMover } from '../deactivation/keycode-mover';
import { CommandHandler } from './command.handler';
import { CommandIssuer } from './command-issuer';
import { CommandLifecycle } from './command-lifecycle';
import { CommandRepository } from './command.repository';
import { CommandService } from './command.service';

/**
 * Agent commands: the typed queue, delivery, acknowledgement, deactivation
 * verification and change of keycode (issue 12). Exports what housekeeping
 * runs: `CommandLifecycle.expireDue` and `CommandRepository.countPending`.
 */
@Module({})
export class CommandsModule {
  static register(overrides: Provider[] = []): DynamicModule {
    return {
      module: CommandsModule,
      controllers: [CommandHandler],
      providers: [
        CommandRepository,
        DeactivationVerifier,
        KeycodeMover,
        CommandLifecycle,
        CommandIssuer,
        CommandService,
        ...overrides,
      ],
      exports: [CommandLifecycle, CommandRepository],
    };
  }
}
