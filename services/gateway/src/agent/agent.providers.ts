import type { Provider } from '@nestjs/common';
import { AgentAdmission } from './agent-admission';
import { DeviceDirectory } from './device-directory';
import { LastSeenBatcher } from './last-seen-batcher';
import { PendingCommands } from './pending-commands';
import { PolicyDirectory } from './policy-directory';

export { AgentController } from './agent.controller';

/** The agent API's state in this gateway copy (ADR 0011); the AccessGuard needs the first two. */
export const AGENT_PROVIDERS: Provider[] = [
  AgentAdmission,
  DeviceDirectory,
  PolicyDirectory,
  LastSeenBatcher,
  PendingCommands,
];
