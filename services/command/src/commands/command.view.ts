import type { Bulk, Command, CommandState, CommandType } from '@warden/contracts';
import { COMMAND_STATES } from '@warden/contracts';
import type { BulkRecord, CommandRecord } from './command.repository';

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

export function toCommand(record: CommandRecord): Command {
  return {
    id: record._id,
    consoleId: record.consoleId,
    siteId: record.siteId,
    deviceId: record.deviceId,
    hostname: record.hostname,
    type: record.type as CommandType,
    parameters: record.parameters,
    state: record.state as CommandState,
    bulkId: record.bulkId,
    issuedBy: { type: record.issuedBy.type, id: record.issuedBy.id },
    createdAt: record.createdAt.toISOString(),
    deliveredAt: iso(record.deliveredAt),
    completedAt: iso(record.completedAt),
    expiresAt: record.expiresAt.toISOString(),
    resultMessage: record.resultMessage,
  };
}

export function toBulk(record: BulkRecord, states: Map<CommandState, number>): Bulk {
  return {
    bulkId: record._id,
    type: record.type as CommandType,
    issuedBy: { type: record.issuedBy.type, id: record.issuedBy.id },
    createdAt: record.createdAt.toISOString(),
    total: record.devices.length,
    states: Object.fromEntries(COMMAND_STATES.map((state) => [state, states.get(state) ?? 0])),
  };
}

/** How many of a bulk's devices each site has (the preview's and the audit's per-site counts). */
export function devicesPerSite(bulk: BulkRecord): Map<string, number> {
  const sites = new Map<string, number>();
  for (const { siteId } of bulk.devices) sites.set(siteId, (sites.get(siteId) ?? 0) + 1);
  return sites;
}
