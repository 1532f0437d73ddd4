import type { Logger } from '@warden/platform';
import { Redis } from 'ioredis';

const READY_WAIT_MS = 2_000;
const ERROR_LOG_EVERY_MS = 10_000;

/**
 * The gateway's Redis connection, set up to fail fast: no offline queue and a
 * short command timeout, so that while Redis is away a request waits at most
 * that long before the rate limiter lets it through (fail-open). It connects
 * in the background and keeps reconnecting; start-up waits briefly for it but
 * does not fail without it.
 */
export async function connectGatewayRedis(url: string, logger: Logger): Promise<Redis> {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 250,
    connectTimeout: 2_000,
    // ioredis waits this long on a socket that already closed before letting go of it.
    disconnectTimeout: 200,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  let lastErrorLog = 0;
  redis.on('error', (error: Error) => {
    const now = Date.now();
    if (now - lastErrorLog < ERROR_LOG_EVERY_MS) return;
    lastErrorLog = now;
    logger.error({ reason: error.message }, 'redis connection failed; rate limits not enforced');
  });
  await new Promise<void>((done) => {
    const timer = setTimeout(() => {
      logger.warn('redis not ready at start-up; rate limits not enforced until it is');
      done();
    }, READY_WAIT_MS);
    redis.once('ready', () => {
      clearTimeout(timer);
      done();
    });
  });
  return redis;
}
