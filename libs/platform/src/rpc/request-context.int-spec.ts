import { Controller, Inject, type INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { defineEvent, defineRpc } from '@warden/contracts';
import { z } from 'zod';
import { ContractViolationError, DomainError, toErrorBody } from '../errors/domain-error';
import { createLogger, type Logger } from '../logging/logger';
import { LOGGER, LoggerModule } from '../logging/logger.module';
import { runWithRequestContext } from '../logging/request-context';
import { DrainingNatsServer } from './draining-nats.server';
import { NatsRpcClient } from './nats-rpc-client';
import { RpcErrorFilter } from './rpc-error.filter';
import { RpcHandler } from './rpc-handler.decorator';
import { testNatsUrl } from '../../test/test-servers';

// A service of its own per run, so no other test file's copy answers these subjects.
const service = `probe${Math.random()
  .toString(36)
  .replace(/[^a-z]/g, '')}`;
const echoRpc = defineRpc(
  `${service}.echo.say.v1`,
  z.object({ note: z.string() }),
  z.object({ note: z.string() }),
);
const brokenRpc = defineRpc(
  `${service}.echo.break.v1`,
  z.object({}),
  z.object({ count: z.number() }),
);
const absentRpc = defineRpc(`${service}.nobody.home.v1`, z.object({}), z.object({}));

@Controller()
class EchoHandler {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  @RpcHandler(echoRpc)
  async say(request: { note: string }): Promise<{ note: string }> {
    this.logger.info({ note: request.note }, 'echoing');
    await new Promise((done) => setImmediate(done));
    this.logger.info('echoed');
    return { note: request.note };
  }

  @RpcHandler(brokenRpc)
  async break(): Promise<{ count: number }> {
    return Promise.resolve({ count: 'many' } as unknown as { count: number });
  }
}

describe('request ids over NATS, and contract violations', () => {
  const lines: Record<string, unknown>[] = [];
  let app: INestMicroservice;
  let client: NatsRpcClient;

  beforeAll(async () => {
    const logger = createLogger(service, 'info', {
      write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>),
    });
    @Module({ imports: [LoggerModule.forRoot(logger)], controllers: [EchoHandler] })
    class ProbeModule {}
    app = await NestFactory.createMicroservice<MicroserviceOptions>(ProbeModule, {
      strategy: new DrainingNatsServer(
        { servers: [testNatsUrl()], queue: service },
        { graceMs: 1_000 },
      ),
      logger: false,
    });
    app.useGlobalFilters(new RpcErrorFilter(logger));
    await app.listen();
    client = await NatsRpcClient.connect({
      url: testNatsUrl(),
      name: 'request-context-test',
      timeoutMs: 2_000,
    });
  });

  afterAll(async () => {
    await client?.close();
    await app?.close();
  });

  it('carries the caller’s request id into every log line the handler writes', async () => {
    const requestId = `req-${service}-1`;

    const reply = await runWithRequestContext({ requestId }, () =>
      client.request(echoRpc, { note: 'hello' }),
    );

    expect(reply).toEqual({ note: 'hello' });
    const handled = lines.filter((l) => l['msg'] === 'echoing' || l['msg'] === 'echoed');
    expect(handled.map((l) => l['requestId'])).toEqual([requestId, requestId]);
  });

  it('gives a message that came without one an id of its own', async () => {
    await client.request(echoRpc, { note: 'anonymous' });

    const line = lines.find((l) => l['note'] === 'anonymous');
    expect(line?.['requestId']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a reply that breaks its contract as INTERNAL, logged with the request id', async () => {
    const requestId = `req-${service}-2`;

    const error = await runWithRequestContext({ requestId }, () =>
      client.request(brokenRpc, {}),
    ).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'INTERNAL', details: undefined });
    const logged = lines.find((l) => l['level'] === 50 && l['requestId'] === requestId);
    expect(logged?.['err']).toMatchObject({
      type: 'ContractViolationError',
      subject: brokenRpc.subject,
      issues: [{ path: 'count', message: expect.any(String) as unknown }],
    });
  });

  it('refuses to publish an event that breaks its contract, as our INTERNAL error', () => {
    const happened = defineEvent(`${service}.echo.happened.v1`, z.object({ at: z.string() }));

    let error: unknown;
    try {
      client.emit(happened, { at: 42 } as unknown as { at: string });
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(ContractViolationError);
    expect(toErrorBody(error).code).toBe('INTERNAL');
  });

  it('names no subject in what a caller sees when nobody serves it (it is for logs only)', async () => {
    const error = await client.request(absentRpc, {}).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).toBody()).toEqual({
      code: 'SERVICE_UNAVAILABLE',
      message: 'the service is not running',
    });
    expect((error as DomainError).logContext).toEqual({ subject: absentRpc.subject });
  });
});
