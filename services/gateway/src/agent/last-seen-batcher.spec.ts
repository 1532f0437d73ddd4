import type { CheckinSeen } from '@warden/contracts';
import { createLogger, DomainError, type NatsRpcClient } from '@warden/platform';
import { generateDevSecrets } from '@warden/testing';
import { randomUUID } from 'node:crypto';
import { loadGatewayConfig } from '../config';
import { LAST_SEEN_BATCH, LastSeenBatcher } from './last-seen-batcher';

describe('LastSeenBatcher', () => {
  const sent: CheckinSeen[][] = [];
  let failing = false;
  const rpc = {
    request: (_contract: unknown, payload: { checkins: CheckinSeen[] }) => {
      if (failing) return Promise.reject(new DomainError('SERVICE_UNAVAILABLE', 'down'));
      sent.push(payload.checkins);
      return Promise.resolve({ applied: payload.checkins.length });
    },
  } as unknown as NatsRpcClient;
  const config = loadGatewayConfig({
    ACCESS_TOKEN_VERIFY_KEY: generateDevSecrets().accessTokenVerifyKey,
  });
  const sut = () => new LastSeenBatcher(rpc, config, createLogger('test', 'fatal'));
  const at = (second: number) => new Date(Date.UTC(2026, 11, 2, 9, 0, second)).toISOString();

  beforeEach(() => {
    sent.length = 0;
    failing = false;
  });

  it('sends one entry per device: the latest time, and what earlier check-ins said that it did not', async () => {
    const batcher = sut();
    const device = randomUUID();
    batcher.record({
      deviceId: device,
      seenAt: at(1),
      status: 'threats_active',
      agentVersion: '5.0.0',
    });
    batcher.record({ deviceId: device, seenAt: at(3), ip: '192.0.2.9' });
    batcher.record({ deviceId: device, seenAt: at(2), status: 'ok' });

    await batcher.flush();

    expect(sent).toEqual([
      [{ deviceId: device, seenAt: at(3), ip: '192.0.2.9', status: 'ok', agentVersion: '5.0.0' }],
    ]);
  });

  it('keeps a batch inventory did not take and sends it with the next, newer entries winning', async () => {
    const batcher = sut();
    const [a, b] = [randomUUID(), randomUUID()];
    batcher.record({ deviceId: a, seenAt: at(1) });
    batcher.record({ deviceId: b, seenAt: at(1) });
    failing = true;
    await batcher.flush();
    expect(batcher.size).toBe(2);

    failing = false;
    batcher.record({ deviceId: a, seenAt: at(5) });
    await batcher.flush();

    expect(sent).toHaveLength(1);
    expect(new Map(sent[0]!.map((s) => [s.deviceId, s.seenAt]))).toEqual(
      new Map([
        [a, at(5)],
        [b, at(1)],
      ]),
    );
    expect(batcher.size).toBe(0);
  });

  it('sends a full batch without waiting for the timer', async () => {
    const batcher = sut();
    for (let i = 0; i < LAST_SEEN_BATCH; i++)
      batcher.record({ deviceId: randomUUID(), seenAt: at(1) });

    await batcher.flush();

    expect(sent.map((batch) => batch.length)).toEqual([LAST_SEEN_BATCH]);
  });

  it('sends what it holds when the gateway stops', async () => {
    const batcher = sut();
    batcher.onModuleInit();
    batcher.record({ deviceId: randomUUID(), seenAt: at(1) });

    await batcher.beforeApplicationShutdown();

    expect(sent).toHaveLength(1);
  });
});
