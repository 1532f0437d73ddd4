import { Inject, Injectable } from '@nestjs/common';
import {
  DOMAIN_SERVICES,
  type DomainService,
  healthCheckRpc,
  type ServiceHealth,
} from '@warden/contracts';
import { DomainError, NatsRpcClient } from '@warden/platform';
import { GATEWAY_CONFIG } from '../gateway.tokens';
import type { GatewayConfig } from '../config';

export type ServiceStatus =
  | (ServiceHealth & { latencyMs: number })
  | {
      service: DomainService;
      status: 'down';
      latencyMs: number;
      error: { code: string; message: string };
    };

export interface SystemHealth {
  status: 'up' | 'down';
  checkedAt: string;
  gateway: { status: 'up'; version: string; uptimeSeconds: number };
  services: Record<DomainService, ServiceStatus>;
}

const startedAt = Date.now();

@Injectable()
export class HealthService {
  constructor(
    private readonly rpc: NatsRpcClient,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** Asks every service at once; one that does not answer within the timeout is down. */
  async check(): Promise<SystemHealth> {
    const results = await Promise.all(DOMAIN_SERVICES.map((service) => this.checkOne(service)));
    const services = Object.fromEntries(
      results.map((r) => [r.service, r]),
    ) as SystemHealth['services'];
    return {
      status: results.every((r) => r.status === 'up') ? 'up' : 'down',
      checkedAt: new Date().toISOString(),
      gateway: {
        status: 'up',
        version: this.config.version,
        uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      },
      services,
    };
  }

  private async checkOne(service: DomainService): Promise<ServiceStatus> {
    const started = performance.now();
    const latency = (): number => Math.round((performance.now() - started) * 100) / 100;
    try {
      const health = await this.rpc.request(
        healthCheckRpc[service],
        {},
        {
          timeoutMs: this.config.healthTimeoutMs,
        },
      );
      return { ...health, latencyMs: latency() };
    } catch (error) {
      const { code, message } =
        error instanceof DomainError ? error : { code: 'INTERNAL', message: 'internal error' };
      return { service, status: 'down', latencyMs: latency(), error: { code, message } };
    }
  }
}
