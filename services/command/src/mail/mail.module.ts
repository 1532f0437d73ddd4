import { type DynamicModule, Module } from '@nestjs/common';
import { createMailTransport } from './mail-transport';
import {
  MAIL_TRANSPORT,
  MAIL_WORKER_OPTIONS,
  MailWorker,
  type MailWorkerOptions,
} from './mail.worker';

/** The mail worker: delivers what other services put on `QUEUES.mail`. */
@Module({})
export class MailModule {
  static register(options: MailWorkerOptions): DynamicModule {
    return {
      module: MailModule,
      providers: [
        { provide: MAIL_WORKER_OPTIONS, useValue: options },
        { provide: MAIL_TRANSPORT, useFactory: () => createMailTransport(options.mail) },
        MailWorker,
      ],
    };
  }
}
