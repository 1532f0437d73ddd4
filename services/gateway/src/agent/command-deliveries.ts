import { Inject, Injectable } from '@nestjs/common';
import { commandRpc } from '@warden/contracts';
import { LOGGER, type Logger, NatsRpcClient } from '@warden/platform';
import type { GatewayConfig } from '../config';
import { OutageLog } from '../edge/outage-log';
import { GATEWAY_CONFIG } from '../gateway.tokens';
import { Batcher, BatchReporter } from './batcher';

/** Deliveries per message (markDelivered takes up to 10 000). */
export const DELIVERY_BATCH = 2_000;
/** A batch is compare-and-sets by `{_id, state}`: quick, but on a busy database not instant. */
const BATCH_TIMEOUT_MS = 60_000;
/** Deliveries kept while the command service does not take them. */
const MAX_KEPT = 200_000;

export interface Delivery {
  commandId: string;
  deviceId: string;
  deliveredAt: string;
}

/**
 * First deliveries of commands (a check-in reply carried them), reported to
 * the command service together (`command.command.mark-delivered.v1`) every
 * AGENT_LAST_SEEN_FLUSH_MS, like last-seen times: the service moves each
 * from pending to delivered by a compare-and-set, so a delivery reported
 * twice or after its acknowledgement changes nothing. The first report of a
 * command wins (its time is when it first rode on a reply). Failed batches
 * are kept and sent with the next; what is pending at shutdown is sent.
 */
@Injectable()
export class CommandDeliveries extends BatchReporter<Delivery> {
  constructor(
    rpc: NatsRpcClient,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    const outage = new OutageLog(logger, 'command deliveries not reported; kept for later');
    super(
      new Batcher<Delivery>({
        keyOf: (delivery) => delivery.commandId,
        merge: (earlier) => earlier,
        batchSize: DELIVERY_BATCH,
        maxKept: MAX_KEPT,
        send: (deliveries) =>
          rpc.request(
            commandRpc.markDelivered,
            { caller: { actor: { type: 'system', id: 'gateway-deliveries' } }, deliveries },
            { timeoutMs: BATCH_TIMEOUT_MS },
          ),
        onFailure: (error, deliveries) => outage.report(error, { deliveries }),
        onDropped: (dropped) =>
          logger.warn(
            { dropped },
            'command deliveries dropped: too many kept while the service fails',
          ),
      }),
      config.agent.lastSeenFlushMs,
    );
  }

  record(delivery: Delivery): void {
    this.batcher.record(delivery);
  }
}
