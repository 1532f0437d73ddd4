import type { INestMicroservice } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ConsoleDetail } from '@warden/contracts';
import { type RunningServers, startLocalServers, testServers } from '@warden/testing';
import { connect, type NatsConnection } from 'nats';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type SignInServices,
  signInStack,
  startGateway,
  startService,
  startSignInServices,
} from './system-under-test';

const TOKEN = `retries-operator-token-${randomUUID()}`;

type Reply = { status: number; retryAfter: string | null; body: Record<string, unknown> };

async function post(url: string, body: unknown, idempotencyKey?: string): Promise<Reply> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as Record<string, unknown>,
  };
}

/**
 * A console to open with Idempotency-Key `key`. Its administrator's e-mail
 * (unique across consoles) follows the key, so a retry sends the same body.
 */
const newConsole = (name: string, key: string, seats = 5) => ({
  name,
  kind: 'production',
  site: { name: 'HQ', seats },
  administrators: [{ email: `admin-${key}@example.jp`, firstName: 'Taro', lastName: 'Suzuki' }],
});

const errorCode = (reply: Reply): unknown =>
  (reply.body['error'] as { code?: string } | undefined)?.code;

describe('retrying creates safely', () => {
  describe('with one licensing copy', () => {
    const system = signInStack({ gateway: { OPS_API_TOKENS: TOKEN } });

    it('requires an Idempotency-Key on every create, naming the header', async () => {
      const reply = await post(
        `${system.url()}/ops/v1/consoles`,
        newConsole('No Key KK', randomUUID()),
      );

      expect(reply.status).toBe(400);
      expect(reply.body['error']).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(JSON.stringify(reply.body)).toContain('Idempotency-Key');
    });

    it('refuses a key sent again with a different body (422), and answers a true retry', async () => {
      const key = randomUUID();
      const url = `${system.url()}/ops/v1/consoles`;
      const first = await post(url, newConsole('Reuse KK', key), key);

      const changed = await post(url, newConsole('Reuse KK', key, 6), key);
      const retried = await post(url, newConsole('Reuse KK', key), key);

      expect(first.status).toBe(201);
      expect(changed.status).toBe(422);
      expect(errorCode(changed)).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(retried.status).toBe(201);
      expect((retried.body as unknown as ConsoleDetail).console.id).toBe(
        (first.body as unknown as ConsoleDetail).console.id,
      );
    });

    it('rotates a keycode once per key, answering the same new keycode to a retry', async () => {
      const key = randomUUID();
      const created = await post(
        `${system.url()}/ops/v1/consoles`,
        newConsole('Rotate KK', key),
        key,
      );
      const site = (created.body as unknown as ConsoleDetail).sites[0]!;
      const rotate = (key: string) =>
        post(`${system.url()}/ops/v1/sites/${site.id}/keycode/rotate`, undefined, key);

      const [a, b] = await Promise.all([rotate('rotation-a'), rotate('rotation-a')]);
      const c = await rotate('rotation-b');

      expect([a.status, b.status, c.status]).toEqual([200, 200, 200]);
      expect(a.body['keycode']).toBe(b.body['keycode']);
      expect(a.body['keycode']).not.toBe(site.keycode);
      expect(c.body['keycode']).not.toBe(a.body['keycode']);
    });
  });

  describe('a burst past what licensing takes at once', () => {
    const system = signInStack({
      licensing: { MAX_IN_FLIGHT: '4' },
      gateway: { OPS_API_TOKENS: TOKEN, RATE_LIMIT_OPS: '100000' },
    });

    it('is refused at once with 503 and Retry-After, never timed out; retries then create each once', async () => {
      const name = `Burst ${randomUUID().slice(0, 8)}`;
      const keys = Array.from({ length: 100 }, () => randomUUID());
      const url = `${system.url()}/ops/v1/consoles`;

      const replies = await Promise.all(keys.map((key) => post(url, newConsole(name, key), key)));

      const statuses = new Set(replies.map((r) => r.status));
      expect([...statuses].every((s) => s === 201 || s === 503)).toBe(true);
      const shed = keys.filter((_, i) => replies[i]!.status === 503);
      expect(shed.length).toBeGreaterThan(0);
      expect(replies.filter((r) => r.status === 503).every((r) => Number(r.retryAfter) >= 1)).toBe(
        true,
      );

      // Nothing was done for a shed request: after retrying those, each key made one console.
      let pending = shed;
      while (pending.length > 0) {
        const again = await Promise.all(
          pending.map((key) => post(url, newConsole(name, key), key)),
        );
        expect(again.every((r) => r.status === 201 || r.status === 503)).toBe(true);
        pending = pending.filter((_, i) => again[i]!.status === 503);
      }
      const listed = await fetch(`${url}?limit=200&name=${encodeURIComponent(name)}`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      const items = ((await listed.json()) as { items: unknown[] }).items;
      expect(items).toHaveLength(100);
    });
  });

  describe('an answer lost on the way back', () => {
    let otherBus: RunningServers;
    let licensing: INestMicroservice;
    let gateway: { app: NestFastifyApplication; url: string };
    let signIn: SignInServices;
    let gatewaySide: NatsConnection;
    let licensingSide: NatsConnection;
    let dropNextCreateReply = false;

    beforeAll(async () => {
      // Licensing on a NATS of its own; a relay carries requests from the gateway's NATS
      // to it and can drop a reply, as a network or a crash between them would.
      otherBus = await startLocalServers({
        dataDir: mkdtempSync(join(tmpdir(), 'warden-relay-')),
        ports: 'free',
        external: { mongodbUri: testServers().mongodbUri, redisUrl: testServers().redisUrl },
      });
      licensing = await startService('licensing', { NATS_URL: otherBus.natsUrl });
      gatewaySide = await connect({ servers: testServers().natsUrl });
      licensingSide = await connect({ servers: otherBus.natsUrl });
      gatewaySide.subscribe('licensing.>', {
        queue: 'licensing',
        callback: (_, message) => {
          const dropReply =
            dropNextCreateReply && message.subject === 'licensing.console.create.v1';
          if (dropReply) dropNextCreateReply = false;
          licensingSide
            .request(message.subject, message.data, { timeout: 10_000, headers: message.headers })
            .then((answer) => dropReply || message.respond(answer.data))
            .catch(() => undefined);
        },
      });
      await gatewaySide.flush();
      gateway = await startGateway({ OPS_API_TOKENS: TOKEN, RPC_TIMEOUT_MS: '1500' });
      // Identity answers on the gateway's own NATS: only licensing's answer is ever lost.
      signIn = await startSignInServices(gateway.url);
    });
    afterAll(async () => {
      await gateway.app.close();
      await signIn.stop();
      await gatewaySide.drain();
      await licensingSide.drain();
      await licensing.close();
      await otherBus.stop();
    });

    it('answers 504 OUTCOME_UNKNOWN; the retry with the same key finds what the first did', async () => {
      const name = `Lost Reply ${randomUUID().slice(0, 8)}`;
      const key = randomUUID();
      const url = `${gateway.url}/ops/v1/consoles`;
      dropNextCreateReply = true;

      const lost = await post(url, newConsole(name, key), key);
      const retried = await post(url, newConsole(name, key), key);

      expect(lost.status).toBe(504);
      expect(errorCode(lost)).toBe('OUTCOME_UNKNOWN');
      expect(JSON.stringify(lost.body)).not.toContain('licensing.console');
      expect(retried.status).toBe(201);
      const listed = await fetch(`${url}?name=${encodeURIComponent(name)}`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(((await listed.json()) as { items: unknown[] }).items).toHaveLength(1);
    });
  });
});
