import type { INestMicroservice } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DOMAIN_SERVICES, type DomainService, healthCheckRpc } from '@warden/contracts';
import { NatsRpcClient } from '@warden/platform';
import { testServers } from '@warden/testing';
import { randomUUID } from 'node:crypto';
import { startGateway, startService } from './system-under-test';

const TOKEN = `health-operator-token-${randomUUID()}`;
const asOperator = { headers: { authorization: `Bearer ${TOKEN}` } };

interface HealthBody {
  status: string;
  services: Record<
    DomainService,
    { status: string; instanceId?: string; error?: { code: string } }
  >;
}

describe('health through the gateway (all six services, real NATS, Redis and Mongo-wire DB)', () => {
  const services = new Map<DomainService, INestMicroservice>();
  let gateway: { app: NestFastifyApplication; url: string };

  beforeAll(async () => {
    await Promise.all(
      DOMAIN_SERVICES.map(async (name) => services.set(name, await startService(name))),
    );
    gateway = await startGateway({ OPS_API_TOKENS: TOKEN });
  });

  afterAll(async () => {
    await gateway?.app.close();
    await Promise.all([...services.values()].map((app) => app.close()));
  });

  it('says only up or down on the public /health', async () => {
    const response = await fetch(`${gateway.url}/health`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'up' });
  });

  it('keeps the detailed view for operators', async () => {
    const anonymous = await fetch(`${gateway.url}/health/details`);

    expect(anonymous.status).toBe(401);
  });

  it('reports every service and its dependencies up, to an operator', async () => {
    const response = await fetch(`${gateway.url}/health/details`, asOperator);
    const body = (await response.json()) as HealthBody & {
      gateway: { dependencies: { name: string; status: string }[] };
      services: Record<DomainService, { dependencies: { name: string; status: string }[] }>;
    };

    expect(response.status).toBe(200);
    expect(body.status).toBe('up');
    for (const name of DOMAIN_SERVICES) {
      expect(body.services[name].status).toBe('up');
      expect(body.services[name].dependencies).toContainEqual(
        expect.objectContaining({ name: 'mongodb', status: 'up' }),
      );
    }
    expect(body.services.command.dependencies).toContainEqual(
      expect.objectContaining({ name: 'redis', status: 'up' }),
    );
    expect(body.gateway.dependencies).toContainEqual(
      expect.objectContaining({ name: 'redis', status: 'up' }),
    );
  });

  it('serves the OpenAPI document', async () => {
    const response = await fetch(`${gateway.url}/api/docs/openapi.json`);
    const document = (await response.json()) as { paths: Record<string, unknown> };

    expect(response.status).toBe(200);
    expect(Object.keys(document.paths)).toContain('/health');
  });

  it('answers unknown routes with the error envelope', async () => {
    const response = await fetch(`${gateway.url}/no/such/route`);

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: {
        code: 'ROUTE_NOT_FOUND',
        message: 'no such route',
        requestId: response.headers.get('x-request-id'),
      },
    });
  });

  it('reports a stopped service down within the timeout, without hanging', async () => {
    await services.get('policy')!.close();
    services.delete('policy');

    const started = Date.now();
    const publicView = await fetch(`${gateway.url}/health`);
    const response = await fetch(`${gateway.url}/health/details`, asOperator);
    const body = (await response.json()) as HealthBody;

    expect(publicView.status).toBe(503);
    expect(await publicView.json()).toEqual({ status: 'down' });
    expect(response.status).toBe(503);
    expect(body.status).toBe('down');
    expect(body.services.policy).toMatchObject({
      status: 'down',
      error: { code: 'SERVICE_UNAVAILABLE' },
    });
    expect(body.services.licensing.status).toBe('up');
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('queue groups', () => {
  it('spreads requests over two copies of a service', async () => {
    const first = await startService('inventory', { MONGODB_DB: 'queue_group_shared' });
    const second = await startService('inventory', { MONGODB_DB: 'queue_group_shared' });
    const client = await NatsRpcClient.connect({
      url: testServers().natsUrl,
      name: 'queue-group-test',
      timeoutMs: 2_000,
    });
    try {
      const answeredBy = new Map<string, number>();
      for (let i = 0; i < 40; i++) {
        const { instanceId } = await client.request(healthCheckRpc.inventory, {});
        answeredBy.set(instanceId, (answeredBy.get(instanceId) ?? 0) + 1);
      }

      // Each request went to exactly one copy (no duplicates) and both copies served.
      expect([...answeredBy.values()].reduce((a, b) => a + b, 0)).toBe(40);
      expect(answeredBy.size).toBe(2);
    } finally {
      await client.close();
      await Promise.all([first.close(), second.close()]);
    }
  });
});
