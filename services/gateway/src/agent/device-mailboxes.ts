import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { type AgentCommand, commandEvents, commandRpc } from '@warden/contracts';
import { LOGGER, type Logger, NatsRpcClient } from '@warden/platform';
import type { Subscription } from 'nats';
import type { GatewayConfig } from '../config';
import { OutageLog } from '../edge/outage-log';
import { GATEWAY_CONFIG } from '../gateway.tokens';
import { CommandDeliveries } from './command-deliveries';
import type { KnownDevice } from './device-directory';
import { LoadingCache } from './loading-cache';

/** A device's unacknowledged commands as this copy holds them. */
interface Mailbox {
  commands: AgentCommand[];
  /** Commands whose first delivery through this copy was reported (a reload reports again: harmless). */
  reported: Set<string>;
}

/** The reply of most check-ins (nothing writes to a reply's list). */
const NO_COMMANDS: AgentCommand[] = [];
/**
 * While the command service does not answer, a device's check-ins go on
 * without commands, and its mailbox is asked again after this long (not on
 * every check-in: each would wait for the request's timeout).
 */
const UNAVAILABLE_RETRY_MS = 5_000;

/**
 * Device id → its commands not yet acknowledged (ADR 0012), loaded once
 * through `command.mailbox.get.v1` and kept until the command service says
 * the mailbox changed (`command.mailbox.changed.v1`, a plain subscription:
 * every gateway copy sees it), the NATS connection comes back, or the TTL
 * ends: a check-in of a device whose mailbox is known asks nobody. Bounded
 * like the device directory. Each command rides on every check-in reply
 * until acknowledged (at least once); its first delivery is reported in a
 * batch (`CommandDeliveries`).
 */
@Injectable()
export class DeviceMailboxes implements OnModuleInit, OnModuleDestroy {
  private readonly cache: LoadingCache<string, Mailbox | null>;
  private readonly outage: OutageLog;
  private subscription?: Subscription;

  constructor(
    private readonly rpc: NatsRpcClient,
    private readonly deliveries: CommandDeliveries,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.cache = new LoadingCache({
      ttlMs: config.agent.deviceCacheTtlMs,
      maxEntries: config.agent.deviceCacheSize,
      keepFor: (mailbox) => (mailbox === null ? UNAVAILABLE_RETRY_MS : undefined),
    });
    this.outage = new OutageLog(
      logger,
      'device mailboxes not loaded (command service); no commands delivered meanwhile',
    );
  }

  async onModuleInit(): Promise<void> {
    this.subscription = this.rpc.subscribe(
      commandEvents.mailboxChanged,
      ({ deviceIds }) => {
        for (const deviceId of deviceIds) this.cache.delete(deviceId);
      },
      (problem) => this.logger.warn({ problem }, 'ignored a mailbox-changed message'),
    );
    this.rpc.onReconnect(() => this.cache.clear());
    // Subscribed at the server before the first check-in is answered.
    await this.rpc.flush();
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  /** The commands a check-in reply carries: from memory once the mailbox is known. */
  forDevice(device: KnownDevice): AgentCommand[] | Promise<AgentCommand[]> {
    const found = this.cache.get(device.deviceId, (deviceId) => this.load(deviceId));
    return found instanceof Promise
      ? found.then((mailbox) => this.deliver(device, mailbox))
      : this.deliver(device, found);
  }

  /**
   * The device acknowledged the command (or had already): it leaves this
   * copy's memory now, before the service's event arrives, so the reply to
   * the agent's next check-in does not carry it again.
   */
  acknowledged(deviceId: string, commandId: string): void {
    const mailbox = this.cache.peek(deviceId);
    if (mailbox) mailbox.commands = mailbox.commands.filter((c) => c.id !== commandId);
  }

  private deliver(device: KnownDevice, mailbox: Mailbox | null): AgentCommand[] {
    if (mailbox === null || mailbox.commands.length === 0) return NO_COMMANDS;
    const deliveredAt = new Date().toISOString();
    for (const command of mailbox.commands) {
      if (mailbox.reported.has(command.id)) continue;
      mailbox.reported.add(command.id);
      this.deliveries.record({ commandId: command.id, deviceId: device.deviceId, deliveredAt });
    }
    return mailbox.commands;
  }

  private async load(deviceId: string): Promise<Mailbox | null> {
    try {
      const { commands } = await this.rpc.request(commandRpc.deviceMailbox, {
        caller: { actor: { type: 'device', id: deviceId } },
        deviceId,
      });
      return { commands, reported: new Set() };
    } catch (error) {
      this.outage.report(error);
      return null;
    }
  }
}
