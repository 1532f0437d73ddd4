import type { Provider } from '@nestjs/common';
import { AgentAdmission } from './agent-admission';
import { CommandDeliveries } from './command-deliveries';
import { DeviceDirectory } from './device-directory';
import { DeviceMailboxes } from './device-mailboxes';
import { LastSeenBatcher } from './last-seen-batcher';
import { PolicyDirectory } from './policy-directory';

export { AgentController } from './agent.controller';

/** The agent API's state in this gateway copy (ADR 0011); the AccessGuard needs the first two. */
export const AGENT_PROVIDERS: Provider[] = [
  AgentAdmission,
  DeviceDirectory,
  PolicyDirectory,
  LastSeenBatcher,
  CommandDeliveries,
  DeviceMailboxes,
];
