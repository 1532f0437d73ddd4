import { DOMAIN_SERVICES, type RpcContract } from '@warden/contracts';
import { DomainError, type NatsRpcClient } from '@warden/platform';
import type { Redis } from 'ioredis';
import type { GatewayConfig } from '../config';
import { HealthService } from './health.service';

describe('HealthService', () => {
  const config = { version: 'test', healthTimeoutMs: 100 } as GatewayConfig;
  const redis = { ping: () => Promise.reject(new Error('connect ECONNREFUSED 10.9.8.7:6379')) };

  /** Every service answers up, except inventory whose database is down with a telling error. */
  const rpc = {
    request: (contract: RpcContract) => {
      const service = contract.subject.split('.')[0]!;
      if (service === 'policy') {
        return Promise.reject(
          new DomainError('SERVICE_UNAVAILABLE', 'the service is not running', undefined, {
            subject: contract.subject,
          }),
        );
      }
      const down = service === 'inventory';
      return Promise.resolve({
        service,
        status: down ? 'down' : 'up',
        instanceId: `${service}-1`,
        version: 'test',
        uptimeSeconds: 1,
        dependencies: [
          {
            name: 'mongodb',
            status: down ? 'down' : 'up',
            latencyMs: 1,
            ...(down ? { error: 'connect ECONNREFUSED mongo-0.internal:27017' } : {}),
          },
        ],
      });
    },
  };
  const sut = new HealthService(rpc as unknown as NatsRpcClient, config, redis as unknown as Redis);

  it('says only up or down for the public view', async () => {
    expect(await sut.status()).toBe('down');
  });

  it('shows each service and dependency status, never their error strings, hosts or subjects', async () => {
    const details = await sut.check();
    const text = JSON.stringify(details);

    expect(Object.keys(details.services).sort()).toEqual([...DOMAIN_SERVICES].sort());
    expect(details.services.inventory).toMatchObject({
      status: 'down',
      dependencies: [{ name: 'mongodb', status: 'down' }],
    });
    expect(details.services.policy).toMatchObject({
      status: 'down',
      error: { code: 'SERVICE_UNAVAILABLE' },
    });
    expect(details.gateway.dependencies).toEqual([
      { name: 'redis', status: 'down', latencyMs: expect.any(Number) as unknown },
    ]);
    expect(text).not.toMatch(/ECONNREFUSED|internal:27017|10\.9\.8\.7|health\.check/);
  });
});
