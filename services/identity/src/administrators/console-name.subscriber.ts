import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { licensingEvents } from '@warden/contracts';
import { EventSubscriptions } from '@warden/platform';
import { AdministratorRepository } from './administrator.repository';

/**
 * Administrators keep their console's name for activation pages and e-mails
 * (sent before anyone signs in); a rename in licensing reaches them here.
 * Idempotent, and order-proof by the time of the rename.
 */
@Injectable()
export class ConsoleNameSubscriber implements OnApplicationBootstrap {
  constructor(
    private readonly subscriptions: EventSubscriptions,
    private readonly admins: AdministratorRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.subscriptions.subscribe(licensingEvents.consoleSettingsChanged, async (event) => {
      if (event.name === undefined) return;
      await this.admins.renameConsole(event.consoleId, event.name, new Date(event.occurredAt));
    });
  }
}
