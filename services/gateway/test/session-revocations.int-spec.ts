import { createLogger } from '@warden/platform';
import { testServers } from '@warden/testing';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { connectGatewayRedis } from '../src/edge/redis-connection';
import { REVOKED_SESSION_TTL_SECONDS, SessionRevocations } from '../src/auth/session-revocations';

type LogLine = { level: number; msg: string } & Record<string, unknown>;

function logSink() {
  const lines: LogLine[] = [];
  const logger = createLogger('gateway', 'info', {
    write: (line: string) => void lines.push(JSON.parse(line) as LogLine),
  });
  return { lines, logger };
}

describe('SessionRevocations (Redis)', () => {
  const prefix = `revocations-test-${randomUUID()}:`;
  let redis: Redis;

  beforeAll(async () => {
    redis = await connectGatewayRedis(testServers().redisUrl, logSink().logger);
  });

  afterAll(() => {
    redis?.disconnect();
  });

  it('remembers a revoked session for an access token’s lifetime, in every gateway copy', async () => {
    const sut = new SessionRevocations(redis, prefix, logSink().logger);
    const twin = new SessionRevocations(redis, prefix, logSink().logger);
    const sessionId = randomUUID();

    expect(await twin.isRevoked(sessionId)).toBe(false);
    expect(await sut.revoke(sessionId.toUpperCase())).toBe(true);

    expect(await twin.isRevoked(sessionId)).toBe(true);
    expect(await twin.isRevoked(randomUUID())).toBe(false);
    const ttl = await redis.ttl(`${prefix}revoked-session:${sessionId}`);
    expect(ttl).toBeGreaterThan(REVOKED_SESSION_TTL_SECONDS - 5);
    expect(ttl).toBeLessThanOrEqual(REVOKED_SESSION_TTL_SECONDS);
  });

  it('fails open while Redis is unreachable, logging it at most once per 10 s', async () => {
    const { lines, logger } = logSink();
    const unreachable = await connectGatewayRedis('redis://127.0.0.1:1', logger);
    try {
      const sut = new SessionRevocations(unreachable, prefix, logger);
      const started = Date.now();

      const answers = await Promise.all([
        sut.isRevoked(randomUUID()),
        sut.isRevoked(randomUUID()),
        sut.isRevoked(randomUUID()),
      ]);
      const recorded = await sut.revoke(randomUUID());

      expect(answers).toEqual([false, false, false]);
      expect(recorded).toBe(false);
      expect(Date.now() - started).toBeLessThan(1_000);
      const errors = lines.filter((l) => l.level === 50 && /session revocation/.test(l.msg));
      expect(errors.map((l) => l.msg)).toEqual([
        'session revocations unavailable (Redis); access tokens checked by signature and expiry only',
        'session revocation not recorded (Redis); its access tokens work until they expire',
      ]);
    } finally {
      unreachable.disconnect();
    }
  });
});
