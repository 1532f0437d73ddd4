import { Controller, type DynamicModule, Inject, Module, type Type } from '@nestjs/common';
import {
  type DependencyHealth,
  type DomainService,
  healthCheckRpc,
  type ServiceHealth,
} from '@warden/contracts';
import { randomUUID } from 'node:crypto';
import { RpcHandler } from '../rpc/rpc-handler.decorator';
import type { DependencyCheck } from './dependency-check';

const CHECKS = Symbol('HEALTH_CHECKS');
const DEPENDENCY_TIMEOUT_MS = 1_000;

async function probe(check: DependencyCheck): Promise<DependencyHealth> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check.check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), DEPENDENCY_TIMEOUT_MS);
      }),
    ]);
    return { name: check.name, status: 'up', latencyMs: elapsed(started) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'unreachable';
    return { name: check.name, status: 'down', latencyMs: elapsed(started), error: reason };
  } finally {
    clearTimeout(timer);
  }
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}

/**
 * Answers `<service>.health.check.v1` with this copy's status and its
 * dependencies'. Each copy has its own instanceId, which is how a caller sees
 * the queue group spreading requests.
 */
@Module({})
export class HealthModule {
  static register(options: {
    service: DomainService;
    version: string;
    checks: Type<DependencyCheck>[];
  }): DynamicModule {
    const instanceId = randomUUID();
    const startedAt = Date.now();

    @Controller()
    class HealthHandler {
      constructor(@Inject(CHECKS) private readonly checks: DependencyCheck[]) {}

      @RpcHandler(healthCheckRpc[options.service])
      async check(): Promise<ServiceHealth> {
        const dependencies = await Promise.all(this.checks.map(probe));
        return {
          service: options.service,
          status: dependencies.every((d) => d.status === 'up') ? 'up' : 'down',
          instanceId,
          version: options.version,
          uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
          dependencies,
        };
      }
    }

    return {
      module: HealthModule,
      controllers: [HealthHandler],
      providers: [
        {
          provide: CHECKS,
          useFactory: (...checks: DependencyCheck[]) => checks,
          inject: options.checks,
        },
      ],
    };
  }
}
