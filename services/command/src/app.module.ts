import { type DynamicModule, Module } from '@nestjs/common';
import { type Logger, platformModules } from '@warden/platform';
import type { CommandConfig } from './config';
import { MailModule } from './mail/mail.module';

@Module({})
export class CommandModule {
  static register(config: CommandConfig, logger: Logger): DynamicModule {
    return {
      module: CommandModule,
      imports: [
        ...platformModules(config, logger),
        MailModule.register({
          redisUrl: config.redisUrl,
          mail: config.mail,
          shutdownGraceMs: config.shutdownGraceMs,
        }),
      ],
    };
  }
}
