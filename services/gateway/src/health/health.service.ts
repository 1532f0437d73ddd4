import { Inject, Injectable } from '@nestjs/common';
import {
  DOMAIN_SERVICES,
  type DomainService,
  healthCheckRpc,
  type HealthStatus,
} from '@warden/contracts';
import { DomainError, NatsRpcClient } from '@warden/platform';
import type { Redis } from 'ioredis';
import { GATEWAY_CONFIG, GATEWAY_REDIS } from '../gateway.tokens';
import type { GatewayConfig } from '../config';

/** A dependency as the details show it: name and status, never an error string or address. */
export interface DependencyStatus {
  name: string;
  status: HealthStatus;
  latencyMs?: number;
}

export type ServiceStatus =
  | {
      service: DomainService;
      status: HealthStatus;
      instanceId: string;
      version: string;
      uptimeSeconds: number;
      latencyMs: number;
      dependencies: DependencyStatus[];
    }
  | {
      service: DomainService;
      status: 'down';
      latencyMs: number;
      /** Our own code and fixed message (e.g. SERVICE_UNAVAILABLE), nothing from the dependency. */
      error: { code: string; message: string };
    };

export interface SystemHealth {
  status: HealthStatus;
  checkedAt: string;
  gateway: {
    status: 'up';
    version: string;
    uptimeSeconds: number;
    /** Redis holds the rate limits; while it is down they are not enforced (fail-open). */
    dependencies: DependencyStatus[];
  };
  services: Record<DomainService, ServiceStatus>;
}

const startedAt = Date.now();

@Injectable()
export class HealthService {
  constructor(
    private readonly rpc: NatsRpcClient,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(GATEWAY_REDIS) private readonly redis: Redis,
  ) {}

  /** Up when every service answers up (the gateway's own Redis does not count: fail-open). */
  async status(): Promise<HealthStatus> {
    const results = await Promise.all(DOMAIN_SERVICES.map((service) => this.checkOne(service)));
    return results.every((r) => r.status === 'up') ? 'up' : 'down';
  }

  /** Asks every service at once; one that does not answer within the timeout is down. */
  async check(): Promise<SystemHealth> {
    const [results, redis] = await Promise.all([
      Promise.all(DOMAIN_SERVICES.map((service) => this.checkOne(service))),
      this.checkRedis(),
    ]);
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
        dependencies: [redis],
      },
      services,
    };
  }

  private async checkOne(service: DomainService): Promise<ServiceStatus> {
    const started = performance.now();
    try {
      const health = await this.rpc.request(
        healthCheckRpc[service],
        {},
        { timeoutMs: this.config.healthTimeoutMs },
      );
      return {
        service,
        status: health.status,
        instanceId: health.instanceId,
        version: health.version,
        uptimeSeconds: health.uptimeSeconds,
        latencyMs: elapsed(started),
        // A service's own dependency errors can name hosts and ports: status only.
        dependencies: health.dependencies.map(({ name, status, latencyMs }) => ({
          name,
          status,
          latencyMs,
        })),
      };
    } catch (error) {
      const { code, message } =
        error instanceof DomainError ? error : { code: 'INTERNAL', message: 'internal error' };
      return { service, status: 'down', latencyMs: elapsed(started), error: { code, message } };
    }
  }

  private async checkRedis(): Promise<DependencyStatus> {
    const started = performance.now();
    try {
      await this.redis.ping();
      return { name: 'redis', status: 'up', latencyMs: elapsed(started) };
    } catch {
      return { name: 'redis', status: 'down', latencyMs: elapsed(started) };
    }
  }
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}
