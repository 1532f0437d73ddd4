import { Inject, Injectable } from '@nestjs/common';
import { type CheckinSeen, inventoryRpc } from '@warden/contracts';
import { LOGGER, type Logger, NatsRpcClient } from '@warden/platform';
import type { GatewayConfig } from '../config';
import { OutageLog } from '../edge/outage-log';
import { GATEWAY_CONFIG } from '../gateway.tokens';
import { Batcher, BatchReporter } from './batcher';

/** Check-ins per message (and per bulk write): a batch this big is sent before its time. */
export const LAST_SEEN_BATCH = 2_000;
/** How long a batch may take inventory (a bulk write of 2 000 rows on a slow database). */
const BATCH_TIMEOUT_MS = 120_000;
/** Devices kept while inventory does not take them; beyond, the oldest wait for their next check-in. */
const MAX_KEPT = 200_000;

/**
 * Last-seen times of check-ins, written together (ADR 0011): one entry per
 * device however often it checks in (the latest wins), sent every
 * AGENT_LAST_SEEN_FLUSH_MS or every 2 000 devices as one
 * `inventory.endpoint.record-checkins.v1` (inventory applies it as one
 * unordered bulk write with `$max`, so a batch sent twice or late changes
 * nothing). What inventory does not take is kept and sent again with the
 * next batch; what is pending when the gateway stops is sent before NATS closes.
 */
@Injectable()
export class LastSeenBatcher extends BatchReporter<Pending> {
  constructor(
    rpc: NatsRpcClient,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    const outage = new OutageLog(logger, 'last-seen times not written (inventory); kept for later');
    super(
      new Batcher<Pending>({
        keyOf: (pending) => pending.seen.deviceId,
        merge,
        batchSize: LAST_SEEN_BATCH,
        maxKept: MAX_KEPT,
        send: (batch) =>
          rpc.request(
            inventoryRpc.recordCheckins,
            {
              caller: { actor: { type: 'system', id: 'gateway-last-seen' } },
              checkins: batch.map((pending) => pending.seen),
            },
            // A slow bulk write must not time out and be sent again forever: one batch is in
            // flight at a time, and what arrives meanwhile waits, coalesced, for the next.
            { timeoutMs: BATCH_TIMEOUT_MS },
          ),
        onFailure: (error, devices) => outage.report(error, { devices }),
        onDropped: (dropped) =>
          logger.warn({ dropped }, 'last-seen times dropped: too many kept while inventory fails'),
      }),
      config.agent.lastSeenFlushMs,
    );
  }

  record(seen: CheckinSeen): void {
    this.batcher.record(pendingOf(seen));
  }
}

/** A device's pending check-in, and when each thing it says was said. */
interface Pending {
  seen: CheckinSeen;
  statusAt?: string;
  agentVersionAt?: string;
}

/**
 * Each field from the latest check-in that said it: they may be recorded out
 * of order (one waited for its detections), and an older `ok` must not
 * replace a newer `threats_active`.
 */
function merge(earlier: Pending, said: Pending): Pending {
  const newer = earlier.seen.seenAt <= said.seen.seenAt ? said : earlier;
  const latest = (a?: string, b?: string) =>
    a === undefined ? b : b === undefined || a >= b ? a : b;
  const statusAt = latest(earlier.statusAt, said.statusAt);
  const agentVersionAt = latest(earlier.agentVersionAt, said.agentVersionAt);
  const merged: CheckinSeen = {
    deviceId: said.seen.deviceId,
    seenAt: newer.seen.seenAt,
  };
  const ip = newer.seen.ip ?? earlier.seen.ip ?? said.seen.ip;
  if (ip !== undefined) merged.ip = ip;
  const statusFrom =
    statusAt === undefined ? undefined : statusAt === said.statusAt ? said : earlier;
  if (statusFrom?.seen.status !== undefined) merged.status = statusFrom.seen.status;
  const versionFrom =
    agentVersionAt === undefined
      ? undefined
      : agentVersionAt === said.agentVersionAt
        ? said
        : earlier;
  if (versionFrom?.seen.agentVersion !== undefined) {
    merged.agentVersion = versionFrom.seen.agentVersion;
  }
  return { seen: merged, statusAt, agentVersionAt };
}

/** A check-in as pending: each field it says, said at its time. */
function pendingOf(seen: CheckinSeen): Pending {
  return {
    seen,
    ...(seen.status === undefined ? {} : { statusAt: seen.seenAt }),
    ...(seen.agentVersion === undefined ? {} : { agentVersionAt: seen.seenAt }),
  };
}
