import type { INestMicroservice } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DomainService } from '@warden/contracts';
import { createCommandApp, loadCommandConfig } from '@warden/service-command';
import {
  createGatewayApp,
  type GatewayAppOptions,
  loadGatewayConfig,
} from '@warden/service-gateway';
import { createIdentityApp, loadIdentityConfig } from '@warden/service-identity';
import { createInventoryApp, loadInventoryConfig } from '@warden/service-inventory';
import { createLicensingApp, loadLicensingConfig } from '@warden/service-licensing';
import { createPolicyApp, loadPolicyConfig } from '@warden/service-policy';
import {
  type DevSecrets,
  generateDevSecrets,
  TestSmtpServer,
  testServers,
  uniqueDbName,
} from '@warden/testing';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Env = Record<string, string>;

/**
 * This test process's secrets: identity signs access tokens with one half of
 * the key pair, every gateway verifies them with the other.
 */
export const TEST_SECRETS: DevSecrets = generateDevSecrets();

/** Starts one copy of a domain service in this process, with its own fresh database. */
export async function startService(
  service: DomainService,
  extraEnv: Env = {},
): Promise<INestMicroservice> {
  const servers = testServers();
  const env: Env = {
    NATS_URL: servers.natsUrl,
    MONGODB_URI: servers.mongodbUri,
    MONGODB_DB: extraEnv['MONGODB_DB'] ?? uniqueDbName(service),
    REDIS_URL: servers.redisUrl,
    LOG_LEVEL: 'warn',
    ...(service === 'command' ? commandMailEnv(extraEnv) : {}),
    ...(service === 'identity' ? identitySecretsEnv() : {}),
    ...extraEnv,
  };
  const app = await createServiceApp(service, env);
  await app.listen();
  return app;
}

/**
 * Mail goes to a spool folder of its own unless the test names an SMTP server,
 * on a queue prefix of its own, so no other file's worker takes its jobs.
 */
function commandMailEnv(extraEnv: Env): Env {
  return {
    MAIL_QUEUE_PREFIX: uniqueDbName('mail'),
    ...(extraEnv['SMTP_URL'] === undefined
      ? { MAIL_SPOOL_DIR: mkdtempSync(join(tmpdir(), 'warden-mail-')) }
      : {}),
  };
}

/** Identity signs access tokens with this test process's key, which every gateway here verifies. */
function identitySecretsEnv(): Env {
  return {
    ACCESS_TOKEN_SIGNING_KEY: TEST_SECRETS.accessTokenSigningKey,
    SECRETS_ENCRYPTION_KEY: TEST_SECRETS.secretsEncryptionKey,
  };
}

function createServiceApp(service: DomainService, env: Env): Promise<INestMicroservice> {
  switch (service) {
    case 'identity':
      return createIdentityApp(loadIdentityConfig(env));
    case 'policy':
      return createPolicyApp(loadPolicyConfig(env));
    case 'inventory':
      return createInventoryApp(loadInventoryConfig(env));
    case 'licensing':
      return createLicensingApp(loadLicensingConfig(env));
    case 'command':
      return createCommandApp(loadCommandConfig(env));
  }
}

/**
 * Starts the gateway on a free loopback port; `url` is where to send requests.
 * Each gateway keeps its rate-limit counters under its own Redis prefix, so
 * test files (all calling from 127.0.0.1) do not spend each other's limits.
 */
export async function startGateway(
  extraEnv: Env = {},
  options: GatewayAppOptions = {},
): Promise<{
  app: NestFastifyApplication;
  url: string;
}> {
  const config = loadGatewayConfig({
    NATS_URL: testServers().natsUrl,
    REDIS_URL: testServers().redisUrl,
    REDIS_KEY_PREFIX: `${uniqueDbName('gateway')}:`,
    PORT: '0',
    LOG_LEVEL: 'warn',
    HEALTH_TIMEOUT_MS: '500',
    ACCESS_TOKEN_VERIFY_KEY: TEST_SECRETS.accessTokenVerifyKey,
    ...extraEnv,
  });
  const app = await createGatewayApp(config, options);
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl() };
}

/** Identity and command, started for a gateway at `gatewayUrl`; see {@link startSignInServices}. */
export interface SignInServices {
  /** Where the activation and reset e-mails arrive. */
  smtp: TestSmtpServer;
  stop(): Promise<void>;
}

/**
 * What opening a console and signing in need besides licensing and the
 * gateway: identity (signing with TEST_SECRETS, its links pointing at the
 * gateway) and command, whose mail worker delivers identity's e-mails to an
 * SMTP server in this process. They share a mail queue of their own, so no
 * other file's worker takes their jobs.
 */
export async function startSignInServices(
  gatewayUrl: string,
  env: { identity?: Env; command?: Env } = {},
): Promise<SignInServices> {
  const smtp = await TestSmtpServer.start();
  const mailQueue = { MAIL_QUEUE_PREFIX: uniqueDbName('mail') };
  const started: INestMicroservice[] = [];
  const stop = async () => {
    for (const service of started.reverse()) await service.close();
    await smtp.stop();
  };
  try {
    started.push(
      await startService('identity', {
        PUBLIC_URL: gatewayUrl,
        ...mailQueue,
        ...env.identity,
      }),
    );
    started.push(
      await startService('command', { SMTP_URL: smtp.url, ...mailQueue, ...env.command }),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { smtp, stop };
}

/**
 * Gateway settings for a test file that registers and signs in administrator
 * after administrator: the per-address limits on the sign-in routes and on
 * failed authentications are raised far above what one file spends, as its
 * calls that name no address of their own (TRUST_PROXY lets `ip` set one)
 * all come from 127.0.0.1 and would otherwise meet 429 part-way through the
 * file. The tests of those limits start a gateway with limits of their own.
 */
export const RAISED_SIGN_IN_LIMITS: Readonly<Env> = {
  TRUST_PROXY: 'true',
  RATE_LIMIT_SIGN_IN: '1000',
  RATE_LIMIT_AUTH_FAILURES: '1000',
};

/**
 * The system a provider and console administrators use, for one `describe`
 * block: licensing, policy, inventory, identity and command behind a gateway (every
 * service a console route asks), and an SMTP server for the mail — started
 * before its tests, stopped after them.
 */
export function signInStack(
  options: {
    gateway?: Env;
    gatewayApp?: GatewayAppOptions;
    licensing?: Env;
    policy?: Env;
    inventory?: Env;
    identity?: Env;
    command?: Env;
  } = {},
): { url(): string; smtp(): TestSmtpServer; app(): NestFastifyApplication } {
  let licensing: INestMicroservice | undefined;
  let policy: INestMicroservice | undefined;
  let inventory: INestMicroservice | undefined;
  let gateway: { app: NestFastifyApplication; url: string } | undefined;
  let signIn: SignInServices | undefined;
  beforeAll(async () => {
    gateway = await startGateway(options.gateway, options.gatewayApp);
    licensing = await startService('licensing', options.licensing);
    policy = await startService('policy', options.policy);
    inventory = await startService('inventory', options.inventory);
    signIn = await startSignInServices(gateway.url, options);
  });
  afterAll(async () => {
    await gateway?.app.close();
    await signIn?.stop();
    await inventory?.close();
    await policy?.close();
    await licensing?.close();
  });
  return {
    url() {
      if (!gateway) throw new Error('the gateway is not started: use url() inside a test');
      return gateway.url;
    },
    smtp() {
      if (!signIn) throw new Error('the system is not started: use smtp() inside a test');
      return signIn.smtp;
    },
    /** The gateway application: its routes, as registered. */
    app() {
      if (!gateway) throw new Error('the gateway is not started: use app() inside a test');
      return gateway.app;
    },
  };
}

let administrators = 0;

/**
 * An initial administrator for a console opened through the ops API: e-mail
 * addresses are login ids, unique across all consoles, so each is new.
 */
export function newAdministrator(overrides: Record<string, unknown> = {}) {
  administrators += 1;
  return {
    email: `admin-${administrators}-${randomUUID().slice(0, 8)}@example.jp`,
    firstName: 'Hanako',
    lastName: 'Yamada',
    ...overrides,
  };
}
