import { Injectable } from '@nestjs/common';
import type { AgentCommand } from '@warden/contracts';
import type { KnownDevice } from './device-directory';

/**
 * The commands a check-in delivers (issue 12 provides the real source; it
 * must stay cheap: it runs on every check-in). Replace the provider of this
 * class to deliver some.
 */
@Injectable()
export class PendingCommands {
  forDevice(_device: KnownDevice): AgentCommand[] | Promise<AgentCommand[]> {
    return [];
  }
}
