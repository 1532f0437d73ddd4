import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { type AgentPolicy, builtinPolicyById, policyEvents, policyRpc } from '@warden/contracts';
import { LOGGER, type Logger, NatsRpcClient } from '@warden/platform';
import type { Subscription } from 'nats';
import type { GatewayConfig } from '../config';
import { GATEWAY_CONFIG } from '../gateway.tokens';
import { LoadingCache } from './loading-cache';

/** A console's policies are few; built-ins are shared by every console. */
const MAX_POLICIES = 50_000;

/**
 * Policy id → the settings agents apply (ADR 0011): loaded once through
 * `policy.policy.resolve.v1`, dropped when policy says it changed
 * (`policy.policy.changed.v1`, a plain subscription), when the NATS
 * connection comes back, or at the TTL. Built-ins never change while the
 * policy service runs the same release: they are cached once for every console.
 */
@Injectable()
export class PolicyDirectory implements OnModuleInit, OnModuleDestroy {
  private readonly cache: LoadingCache<string, AgentPolicy>;
  private subscription?: Subscription;

  constructor(
    private readonly rpc: NatsRpcClient,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.cache = new LoadingCache({
      ttlMs: config.agent.deviceCacheTtlMs,
      maxEntries: MAX_POLICIES,
    });
  }

  async onModuleInit(): Promise<void> {
    this.subscription = this.rpc.subscribe(
      policyEvents.policyChanged,
      ({ consoleId, policyId }) => this.cache.delete(keyOf(consoleId, policyId)),
      (problem) => this.logger.warn({ problem }, 'ignored a policy-changed message'),
    );
    this.rpc.onReconnect(() => this.cache.clear());
    await this.rpc.flush();
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  /** The policy as an agent applies it; POLICY_NOT_FOUND passes through. */
  find(consoleId: string, policyId: string): AgentPolicy | Promise<AgentPolicy> {
    return this.cache.get(keyOf(consoleId, policyId), () =>
      this.rpc.request(policyRpc.resolvePolicy, {
        caller: { actor: { type: 'system', id: 'gateway-agent-path' }, consoleId },
        consoleId,
        policyId,
      }),
    );
  }
}

function keyOf(consoleId: string, policyId: string): string {
  return builtinPolicyById(policyId) ? policyId : `${consoleId}/${policyId}`;
}
