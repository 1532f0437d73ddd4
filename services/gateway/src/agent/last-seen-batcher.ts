import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnModuleInit,
} from '@nestjs/common';
import { type CheckinSeen, inventoryRpc } from '@warden/contracts';
import { LOGGER, type Logger, NatsRpcClient } from '@warden/platform';
import type { GatewayConfig } from '../config';
import { OutageLog } from '../edge/outage-log';
import { GATEWAY_CONFIG } from '../gateway.tokens';

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
export class LastSeenBatcher implements OnModuleInit, BeforeApplicationShutdown {
  private pending = new Map<string, Pending>();
  private timer?: NodeJS.Timeout;
  private sending?: Promise<void>;
  private readonly outage: OutageLog;

  constructor(
    private readonly rpc: NatsRpcClient,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.outage = new OutageLog(logger, 'last-seen times not written (inventory); kept for later');
  }

  onModuleInit(): void {
    this.timer = setInterval(() => {
      if (!this.sending) void this.flush();
    }, this.config.agent.lastSeenFlushMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  record(seen: CheckinSeen): void {
    merge(this.pending, seen);
    // A full batch goes now; while one is being sent, the send takes the next full one after it.
    if (this.pending.size >= LAST_SEEN_BATCH && !this.sending) void this.flush();
  }

  /** Devices waiting to be written. */
  get size(): number {
    return this.pending.size;
  }

  /** Sends everything pending (after a send already under way). */
  async flush(): Promise<void> {
    while (this.sending) await this.sending;
    if (this.pending.size === 0) return;
    this.sending = this.drain().finally(() => (this.sending = undefined));
    await this.sending;
  }

  /** What is pending, then each full batch that arrived meanwhile; stops at a failure (kept). */
  private async drain(): Promise<void> {
    do {
      const batch = [...this.pending.values()];
      this.pending = new Map();
      if (!(await this.send(batch))) return;
    } while (this.pending.size >= LAST_SEEN_BATCH);
  }

  private async send(batch: Pending[]): Promise<boolean> {
    for (let start = 0; start < batch.length; start += LAST_SEEN_BATCH) {
      const checkins = batch.slice(start, start + LAST_SEEN_BATCH).map((pending) => pending.seen);
      try {
        await this.rpc.request(
          inventoryRpc.recordCheckins,
          { caller: { actor: { type: 'system', id: 'gateway-last-seen' } }, checkins },
          // A slow bulk write must not time out and be sent again forever: one batch is in
          // flight at a time, and what arrives meanwhile waits, coalesced, for the next.
          { timeoutMs: BATCH_TIMEOUT_MS },
        );
      } catch (error) {
        this.outage.report(error, { devices: batch.length - start });
        this.keep(batch.slice(start));
        return false;
      }
    }
    return true;
  }

  /** Puts unsent check-ins back under the ones that arrived meanwhile. */
  private keep(unsent: Pending[]): void {
    const newer = this.pending;
    this.pending = new Map();
    const room = Math.max(0, MAX_KEPT - newer.size);
    for (const kept of unsent.slice(0, room)) this.pending.set(kept.seen.deviceId, kept);
    for (const arrived of newer.values()) merge(this.pending, arrived.seen, arrived);
    const dropped = unsent.length - Math.min(unsent.length, room);
    if (dropped > 0) {
      this.logger.warn({ dropped }, 'last-seen times dropped: too many kept while inventory fails');
    }
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
function merge(
  pending: Map<string, Pending>,
  seen: CheckinSeen,
  said: Pending = pendingOf(seen),
): void {
  const earlier = pending.get(seen.deviceId);
  if (earlier === undefined) {
    pending.set(seen.deviceId, said);
    return;
  }
  const newer = earlier.seen.seenAt <= said.seen.seenAt ? said : earlier;
  const latest = (a?: string, b?: string) =>
    a === undefined ? b : b === undefined || a >= b ? a : b;
  const statusAt = latest(earlier.statusAt, said.statusAt);
  const agentVersionAt = latest(earlier.agentVersionAt, said.agentVersionAt);
  const merged: CheckinSeen = {
    deviceId: seen.deviceId,
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
  pending.set(seen.deviceId, { seen: merged, statusAt, agentVersionAt });
}

/** A check-in as pending: each field it says, said at its time. */
function pendingOf(seen: CheckinSeen): Pending {
  return {
    seen,
    ...(seen.status === undefined ? {} : { statusAt: seen.seenAt }),
    ...(seen.agentVersion === undefined ? {} : { agentVersionAt: seen.seenAt }),
  };
}
