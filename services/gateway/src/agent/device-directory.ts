import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { type AgentStatus, inventoryEvents, inventoryRpc } from '@warden/contracts';
import { DomainError, LOGGER, type Logger, NatsRpcClient } from '@warden/platform';
import type { Subscription } from 'nats';
import type { GatewayConfig } from '../config';
import { GATEWAY_CONFIG } from '../gateway.tokens';
import { LoadingCache } from './loading-cache';

/** What a gateway copy holds of one device to answer its check-ins without asking anyone. */
export interface KnownDevice {
  deviceId: string;
  consoleId: string;
  siteId: string;
  policyId: string;
  tokenSha256: Buffer;
  /** The agent status this copy last passed on to inventory (sent again only when it changes). */
  passedOnStatus?: AgentStatus;
}

/** A device inventory does not know is remembered this long (a stream of check-ins of a removed one). */
const UNKNOWN_DEVICE_TTL_MS = 30_000;

/**
 * Device id → credentials and effective policy (ADR 0011): loaded once per
 * device through `inventory.device.credentials.v1`, then kept until
 * inventory says the device changed (`inventory.devices.changed.v1`, a plain
 * subscription: every gateway copy sees it), the NATS connection comes back
 * (events sent meanwhile are lost), or the TTL ends.
 */
@Injectable()
export class DeviceDirectory implements OnModuleInit, OnModuleDestroy {
  private readonly cache: LoadingCache<string, KnownDevice | null>;
  private subscription?: Subscription;

  constructor(
    private readonly rpc: NatsRpcClient,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.cache = new LoadingCache({
      ttlMs: config.agent.deviceCacheTtlMs,
      maxEntries: config.agent.deviceCacheSize,
      keepFor: (device) => (device === null ? UNKNOWN_DEVICE_TTL_MS : undefined),
    });
  }

  async onModuleInit(): Promise<void> {
    this.subscription = this.rpc.subscribe(
      inventoryEvents.devicesChanged,
      ({ consoleId, deviceIds }) => {
        if (deviceIds === null) {
          this.cache.deleteWhere((device) => device?.consoleId === consoleId);
        } else {
          for (const deviceId of deviceIds) this.cache.delete(deviceId);
        }
      },
      (problem) => this.logger.warn({ problem }, 'ignored a devices-changed message'),
    );
    this.rpc.onReconnect(() => this.cache.clear());
    // Subscribed at the server before the first check-in is answered.
    await this.rpc.flush();
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  /**
   * The device, from memory when known; null when inventory does not know it.
   * `beforeLoading` runs when this call is the one that asks inventory (not
   * when it is in memory or joins a load under way), and may refuse by throwing.
   */
  find(
    deviceId: string,
    beforeLoading?: () => void,
  ): KnownDevice | null | Promise<KnownDevice | null> {
    return this.cache.get(deviceId, (id) => {
      beforeLoading?.();
      return this.load(id);
    });
  }

  /** This copy enrolled the device again: its old token must stop working here at once. */
  forget(deviceId: string): void {
    this.cache.delete(deviceId);
  }

  private async load(deviceId: string): Promise<KnownDevice | null> {
    try {
      const credentials = await this.rpc.request(inventoryRpc.deviceCredentials, {
        caller: { actor: { type: 'device', id: deviceId } },
        deviceId,
      });
      return {
        deviceId: credentials.deviceId,
        consoleId: credentials.consoleId,
        siteId: credentials.siteId,
        policyId: credentials.policyId,
        tokenSha256: Buffer.from(credentials.tokenSha256, 'hex'),
        // What inventory holds: an `ok` from a device on record as infected is passed on.
        passedOnStatus: credentials.infected ? 'threats_active' : 'ok',
      };
    } catch (error) {
      if (error instanceof DomainError && UNKNOWN.has(error.code)) return null;
      throw error;
    }
  }
}

const UNKNOWN = new Set<string>(['ENDPOINT_NOT_FOUND', 'DEVICE_TOKEN_INVALID']);
