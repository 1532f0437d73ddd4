import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { commandEvents } from '@warden/contracts';
import {
  AUDIT_EVENT,
  AuditPublisher,
  EventsModule,
  type Logger,
  MailQueueModule,
  platformModules,
} from '@warden/platform';
import { COMMAND_CONFIG } from './command.tokens';
import { CommandsModule } from './commands/commands.module';
import type { CommandConfig } from './config';
import { HousekeepingModule } from './housekeeping/housekeeping.module';
import { JobQueues } from './jobs/job-queues';
import { MailModule } from './mail/mail.module';

/** What a test may put in place of a provider (e.g. a repository whose write fails). */
export interface CommandModuleOptions {
  overrides?: Provider[];
}

/** Shared by the command service's modules: its config, job queues, audit and events. */
@Module({})
export class CommandCoreModule {
  static register(config: CommandConfig): DynamicModule {
    return {
      module: CommandCoreModule,
      global: true,
      imports: [
        EventsModule.forRoot({
          service: config.service,
          natsUrl: config.natsUrl,
          publishes: Object.values(commandEvents),
        }),
        MailQueueModule.forRoot({ redisUrl: config.redisUrl, prefix: config.mail.queuePrefix }),
      ],
      providers: [
        { provide: COMMAND_CONFIG, useValue: config },
        { provide: AUDIT_EVENT, useValue: commandEvents.auditRecorded },
        AuditPublisher,
        JobQueues,
      ],
      exports: [COMMAND_CONFIG, AUDIT_EVENT, AuditPublisher, JobQueues, EventsModule],
    };
  }
}

@Module({})
export class CommandModule {
  static register(
    config: CommandConfig,
    logger: Logger,
    options: CommandModuleOptions = {},
  ): DynamicModule {
    const commands = CommandsModule.register(options.overrides ?? []);
    return {
      module: CommandModule,
      imports: [
        ...platformModules(config, logger),
        CommandCoreModule.register(config),
        MailModule.register({
          redisUrl: config.redisUrl,
          mail: config.mail,
          shutdownGraceMs: config.shutdownGraceMs,
        }),
        commands,
        HousekeepingModule.register(commands),
      ],
    };
  }
}
