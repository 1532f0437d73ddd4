import { type DynamicModule, Module, type Provider } from '@nestjs/common';

/**
 * Agent commands: the typed queue, delivery, acknowledgement, deactivation
 * verification and change of keycode (issue 12). Filled in by the commands work.
 */
@Module({})
export class CommandsModule {
  static register(overrides: Provider[] = []): DynamicModule {
    return { module: CommandsModule, providers: [...overrides] };
  }
}
