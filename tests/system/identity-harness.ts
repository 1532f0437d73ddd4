import type { INestMicroservice } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { type Caller, identityRpc, licensingRpc, type Session } from '@warden/contracts';
import { DomainError, NatsRpcClient } from '@warden/platform';
import { generateDevSecrets, TestSmtpServer, testServers, uniqueDbName } from '@warden/testing';
import mongoose, { type Connection } from 'mongoose';
import { authenticator } from 'otplib';
import { createCommandApp, loadCommandConfig } from '@warden/service-command';
import { createLicensingApp, loadLicensingConfig } from '@warden/service-licensing';
import {
  createIdentityApp,
  type IdentityConfig,
  loadIdentityConfig,
} from '@warden/service-identity';

export const operator: Caller = { actor: { type: 'operator', id: 'test-operator' } };
export const anonymous: Caller = {
  actor: { type: 'anonymous', id: 'anonymous' },
  sourceIp: '127.0.0.1',
};

/** Identity with what it needs: licensing, the command service's mail worker and an SMTP server. */
export async function startIdentity(env: Record<string, string> = {}): Promise<IdentityHarness> {
  const servers = testServers();
  const secrets = generateDevSecrets();
  const prefix = uniqueDbName('mail');
  const smtp = await TestSmtpServer.start();
  const dbName = uniqueDbName('identity');
  const common = { NATS_URL: servers.natsUrl, MONGODB_URI: servers.mongodbUri, LOG_LEVEL: 'warn' };
  const identityConfig = loadIdentityConfig({
    ...common,
    MONGODB_DB: dbName,
    REDIS_URL: servers.redisUrl,
    ACCESS_TOKEN_SIGNING_KEY: secrets.accessTokenSigningKey,
    SECRETS_ENCRYPTION_KEY: secrets.secretsEncryptionKey,
    PUBLIC_URL: 'http://console.test',
    MAIL_QUEUE_PREFIX: prefix,
    ...env,
  });
  const identity = await createIdentityApp(identityConfig);
  await identity.listen();
  const command = await createCommandApp(
    loadCommandConfig({
      ...common,
      MONGODB_DB: uniqueDbName('command'),
      REDIS_URL: servers.redisUrl,
      SMTP_URL: smtp.url,
      MAIL_QUEUE_PREFIX: prefix,
    }),
  );
  await command.listen();
  const licensing = await createLicensingApp(
    loadLicensingConfig({ ...common, MONGODB_DB: uniqueDbName('licensing') }),
  );
  await licensing.listen();
  const client = await NatsRpcClient.connect({
    url: servers.natsUrl,
    name: 'identity-test',
    timeoutMs: 30_000,
  });
  const db = await mongoose.createConnection(servers.mongodbUri, { dbName }).asPromise();
  return new IdentityHarness(client, smtp, secrets.accessTokenVerifyKey, db, [command, licensing], {
    config: identityConfig,
    copies: [identity],
  });
}

export interface Registered {
  consoleId: string;
  administratorId: string;
  email: string;
  password: string;
  securityCode: string;
  answer: string;
}

export class IdentityHarness {
  constructor(
    readonly client: NatsRpcClient,
    readonly smtp: TestSmtpServer,
    readonly verifyKey: string,
    /** Identity's own database, for tests that make time pass (an expiry) without waiting. */
    readonly db: Connection,
    private readonly apps: INestMicroservice[],
    /** The running copies of identity, on one database; the first started with the harness. */
    readonly identity: { readonly config: IdentityConfig; readonly copies: INestMicroservice[] },
  ) {}

  async stop(): Promise<void> {
    await this.client.close();
    await this.db.close();
    for (const app of [...this.identity.copies.splice(0), ...this.apps]) await app.close();
    await this.smtp.stop();
  }

  /** One more copy of identity on the same database: same queue group, same durable consumers. */
  async startIdentityCopy(): Promise<INestMicroservice> {
    const copy = await createIdentityApp(this.identity.config);
    await copy.listen();
    this.identity.copies.push(copy);
    return copy;
  }

  /** Stops a copy of identity (all of them, one by one, for identity to be down). */
  async stopIdentityCopy(copy: INestMicroservice): Promise<void> {
    this.identity.copies.splice(this.identity.copies.indexOf(copy), 1);
    await copy.close();
  }

  /** A console with one invited administrator, as the ops API opens it. */
  async openConsole(
    email = uniqueEmail(),
    language: 'ja' | 'en' = 'en',
  ): Promise<{ consoleId: string; administratorId: string; email: string }> {
    const detail = await this.client.request(licensingRpc.createConsole, {
      caller: operator,
      idempotencyKey: randomUUID(),
      name: `Company ${randomUUID().slice(0, 8)}`,
      kind: 'production',
      language,
      site: { name: 'Head office', seats: 10 },
    });
    const { items } = await this.client.request(identityRpc.inviteInitialAdministrators, {
      caller: operator,
      consoleId: detail.console.id,
      consoleName: detail.console.name,
      consoleLanguage: language,
      administrators: [{ email, firstName: 'Aiko', lastName: 'Tanaka' }],
    });
    return { consoleId: detail.console.id, administratorId: items[0]!.id, email };
  }

  /** The newest activation mail to `email`: its link token and temporary password. */
  async activationMail(
    email: string,
    after = 0,
  ): Promise<{ token: string; temporaryPassword: string; text: string; subject: string }> {
    const mail = await this.smtp.waitFor(
      (m) =>
        m.envelopeTo.includes(email) &&
        /activation\//.test(m.mail.text ?? '') &&
        this.smtp.messages.indexOf(m) >= after,
    );
    const text = mail.mail.text ?? '';
    const token = /\/activation\/([A-Za-z0-9_-]+)/.exec(text)![1]!;
    const temporaryPassword = /(?:Temporary password|仮パスワード): (\S+)/.exec(text)![1]!;
    return { token, temporaryPassword, text, subject: mail.mail.subject ?? '' };
  }

  async register(email = uniqueEmail()): Promise<Registered> {
    const opened = await this.openConsole(email);
    return this.activate(opened);
  }

  /** Registers an invited administrator from their activation mail. */
  async activate(invited: {
    consoleId: string;
    administratorId: string;
    email: string;
  }): Promise<Registered> {
    const { token, temporaryPassword } = await this.activationMail(invited.email);
    const registered = {
      ...invited,
      password: 'correct1horse2battery3',
      securityCode: 'k7Q9zX2m',
      answer: 'Blue Whale',
    };
    await this.client.request(identityRpc.completeActivation, {
      caller: anonymous,
      token,
      temporaryPassword,
      password: registered.password,
      securityCode: registered.securityCode,
      securityQuestion: 'Favourite animal?',
      securityAnswer: registered.answer,
    });
    return registered;
  }

  /** Password and security-code steps; the reply of the second. */
  async loginToCode(account: Registered, tweak: (chars: string) => string = (c) => c) {
    const challenge = await this.client.request(identityRpc.login, {
      caller: anonymous,
      login: account.email,
      password: account.password,
    });
    const chars = challenge.positions.map((p) => account.securityCode[p - 1]).join('');
    return this.client.request(identityRpc.loginSecurityCode, {
      caller: anonymous,
      loginId: challenge.loginId,
      characters: tweak(chars),
    });
  }

  async signIn(account: Registered): Promise<Session> {
    const reply = await this.loginToCode(account);
    if (!('accessToken' in reply)) throw new Error('2FA is on: use signInWithTotp');
    return reply;
  }

  callerOf(account: Registered): Caller {
    return {
      actor: { type: 'admin', id: account.administratorId },
      consoleId: account.consoleId,
      sourceIp: '127.0.0.1',
    };
  }
}

export function uniqueEmail(): string {
  return `admin-${randomUUID().slice(0, 12)}@example.com`;
}

/** A TOTP code of `secret` for the time step `offset` steps from now. */
export function totpAt(secret: string, offset = 0): string {
  return authenticator.clone({ epoch: Date.now() + offset * 30_000 }).generate(secret);
}

/** The error code a rejected promise carries, or 'OK'. */
export async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    return error instanceof DomainError ? error.code : `UNEXPECTED ${String(error)}`;
  }
}
