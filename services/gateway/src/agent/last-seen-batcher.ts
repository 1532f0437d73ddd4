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
  private pending = new Map<string, CheckinSeen>();
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
    this.timer = setInterval(() => void this.flush(), this.config.agent.lastSeenFlushMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  record(seen: CheckinSeen): void {
    merge(this.pending, seen);
    if (this.pending.size >= LAST_SEEN_BATCH) void this.flush();
  }

  /** Devices waiting to be written. */
  get size(): number {
    return this.pending.size;
  }

  /** Sends what is pending (after a send already under way). */
  async flush(): Promise<void> {
    while (this.sending) await this.sending;
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    this.sending = this.send(batch).finally(() => (this.sending = undefined));
    await this.sending;
  }

  private async send(batch: CheckinSeen[]): Promise<void> {
    for (let start = 0; start < batch.length; start += LAST_SEEN_BATCH) {
      const checkins = batch.slice(start, start + LAST_SEEN_BATCH);
      try {
        await this.rpc.request(inventoryRpc.recordCheckins, {
          caller: { actor: { type: 'system', id: 'gateway-last-seen' } },
          checkins,
        });
      } catch (error) {
        this.outage.report(error, { devices: batch.length - start });
        this.keep(batch.slice(start));
        return;
      }
    }
  }

  /** Puts unsent check-ins back under the ones that arrived meanwhile. */
  private keep(unsent: CheckinSeen[]): void {
    const newer = this.pending;
    this.pending = new Map();
    const room = Math.max(0, MAX_KEPT - newer.size);
    for (const seen of unsent.slice(0, room)) this.pending.set(seen.deviceId, seen);
    for (const seen of newer.values()) merge(this.pending, seen);
    const dropped = unsent.length - Math.min(unsent.length, room);
    if (dropped > 0) {
      this.logger.warn({ dropped }, 'last-seen times dropped: too many kept while inventory fails');
    }
  }
}

/** The later check-in of a device wins; what it did not say is taken from the earlier one. */
function merge(pending: Map<string, CheckinSeen>, seen: CheckinSeen): void {
  const earlier = pending.get(seen.deviceId);
  if (earlier === undefined) {
    pending.set(seen.deviceId, seen);
    return;
  }
  const [older, newer] = earlier.seenAt <= seen.seenAt ? [earlier, seen] : [seen, earlier];
  pending.set(seen.deviceId, {
    deviceId: seen.deviceId,
    seenAt: newer.seenAt,
    ip: newer.ip ?? older.ip,
    status: newer.status ?? older.status,
    agentVersion: newer.agentVersion ?? older.agentVersion,
  });
}
