import { request } from 'node:http';
import type { RunningServers } from './local-servers';

/**
 * True when a Docker engine answers on its socket (or DOCKER_HOST). The client
 * binary alone is not enough: on build machines without an engine it is
 * installed but nothing listens.
 */
export function dockerEngineAnswers(
  socketPath = '/var/run/docker.sock',
  timeoutMs = 1_000,
): Promise<boolean> {
  return new Promise((done) => {
    const req = request({ socketPath, path: '/_ping', timeout: timeoutMs }, (res) => {
      res.resume();
      done(res.statusCode === 200);
    });
    req.once('timeout', () => {
      req.destroy();
      done(false);
    });
    req.once('error', () => done(false));
    req.end();
  });
}

/** MongoDB 7, NATS and Redis in containers, for machines that have an engine. */
export async function startContainers(): Promise<RunningServers> {
  // Loaded only here: testcontainers is heavy and useless without an engine.
  const { GenericContainer, Wait } = await import('testcontainers');
  const [mongo, nats, redis] = await Promise.all([
    new GenericContainer('mongo:7')
      .withExposedPorts(27017)
      .withWaitStrategy(Wait.forLogMessage(/Waiting for connections/))
      .start(),
    new GenericContainer('nats:2.10')
      .withCommand(['-js'])
      .withExposedPorts(4222)
      .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
      .start(),
    new GenericContainer('redis:7-alpine')
      .withExposedPorts(6379)
      .withWaitStrategy(Wait.forLogMessage(/Ready to accept connections/))
      .start(),
  ]);
  return {
    mongodbUri: `mongodb://${mongo.getHost()}:${mongo.getMappedPort(27017)}`,
    natsUrl: `nats://${nats.getHost()}:${nats.getMappedPort(4222)}`,
    redisUrl: `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`,
    async stop() {
      await Promise.all([mongo.stop(), nats.stop(), redis.stop()]);
    },
  };
}
