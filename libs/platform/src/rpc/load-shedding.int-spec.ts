import { Controller, type INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { defineRpc } from '@warden/contracts';
import { connect, headers, JSONCodec, type NatsConnection } from 'nats';
import { z } from 'zod';
import { DomainError } from '../errors/domain-error';
import { DEADLINE_HEADER } from './deadline';
import { DrainingNatsServer } from './draining-nats.server';
import { NatsRpcClient } from './nats-rpc-client';
import { RpcHandler } from './rpc-handler.decorator';
import { testNatsUrl } from '../../test/test-servers';

const service = `shed${Math.random()
  .toString(36)
  .replace(/[^a-z]/g, '')}`;
const workRpc = defineRpc(
  `${service}.work.do.v1`,
  z.object({ n: z.number() }),
  z.object({ n: z.number() }),
);

/** Handlers that hold until the test lets them go, so "in flight" is exact. */
const gate = {
  started: 0,
  onStart: [] as Array<() => void>,
  release: (): void => undefined,
  released: Promise.resolve(),
};
function closeGate(): void {
  gate.started = 0;
  gate.released = new Promise<void>((open) => (gate.release = open));
}
function whenStarted(count: number): Promise<void> {
  return new Promise((done) => {
    const check = (): void => (gate.started >= count ? done() : void gate.onStart.push(check));
    check();
  });
}

@Controller()
class WorkHandler {
  @RpcHandler(workRpc)
  async work(request: { n: number }): Promise<{ n: number }> {
    gate.started++;
    gate.onStart.splice(0).forEach((wake) => wake());
    await gate.released;
    return { n: request.n };
  }
}

describe('a service sheds what it cannot finish in time', () => {
  const MAX_IN_FLIGHT = 3;
  let app: INestMicroservice;
  let client: NatsRpcClient;
  let raw: NatsConnection;

  beforeAll(async () => {
    @Module({ controllers: [WorkHandler] })
    class ProbeModule {}
    app = await NestFactory.createMicroservice<MicroserviceOptions>(ProbeModule, {
      strategy: new DrainingNatsServer(
        { servers: [testNatsUrl()], queue: service },
        { graceMs: 1_000, maxInFlight: MAX_IN_FLIGHT },
      ),
      logger: false,
    });
    await app.listen();
    client = await NatsRpcClient.connect({
      url: testNatsUrl(),
      name: 'shed-test',
      timeoutMs: 10_000,
    });
    raw = await connect({ servers: testNatsUrl() });
  });

  afterAll(async () => {
    gate.release();
    await raw?.drain();
    await client?.close();
    await app?.close();
  });

  it('refuses requests past its limit at once, having done nothing, and serves the rest', async () => {
    closeGate();
    const first = Array.from({ length: MAX_IN_FLIGHT }, (_, n) => client.request(workRpc, { n }));
    await whenStarted(MAX_IN_FLIGHT);

    const refused = await Promise.all(
      Array.from({ length: 5 }, (_, n) =>
        client.request(workRpc, { n: 100 + n }).catch((error: unknown) => error),
      ),
    );

    expect(refused.every((e) => e instanceof DomainError && e.code === 'SERVICE_UNAVAILABLE')).toBe(
      true,
    );
    expect(gate.started).toBe(MAX_IN_FLIGHT);
    gate.release();
    expect(await Promise.all(first)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
    // Room again: the next request is served.
    closeGate();
    gate.release();
    await expect(client.request(workRpc, { n: 7 })).resolves.toEqual({ n: 7 });
  });

  it('does not start a request whose caller has already given up', async () => {
    closeGate();
    gate.release();
    const late = headers();
    late.set(DEADLINE_HEADER, String(Date.now() - 1));
    const packet = JSONCodec().encode({ pattern: workRpc.subject, data: { n: 1 }, id: 'late-1' });

    const answer = await raw
      .request(workRpc.subject, packet, { timeout: 300, headers: late })
      .catch((error: unknown) => error);

    expect(answer).toMatchObject({ code: 'TIMEOUT' });
    expect(gate.started).toBe(0);
  });

  it('tells the caller the outcome is unknown when no answer comes in time', async () => {
    closeGate();
    const slow = client.request(workRpc, { n: 9 }, { timeoutMs: 200 }).catch((e: unknown) => e);
    await whenStarted(1);

    const error = await slow;
    gate.release();

    expect(error).toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    expect(JSON.stringify((error as DomainError).details ?? {})).not.toContain(service);
  });
});
