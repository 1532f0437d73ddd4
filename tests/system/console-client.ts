import type { Administrator, ConsoleDetail, Session } from '@warden/contracts';
import type { TestSmtpServer } from '@warden/testing';
import { randomUUID } from 'node:crypto';
import { authenticator } from 'otplib';
import { newAdministrator, RAISED_SIGN_IN_LIMITS, signInStack } from './system-under-test';

/**
 * The console API as the web console and the provider use it, for the system
 * tests: calls with a bearer token, a console opened through the ops API, an
 * administrator registered from the activation e-mail that arrives, and the
 * three sign-in steps (DESIGN §7b).
 */

export const PASSWORD = 'correct1horse2battery3';
export const SECURITY_CODE = 'k7Q9zX2m';
export const QUESTION = 'Name of your first pet?';
export const ANSWER = 'Pochi';

export interface Reply<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  /** The JSON reply; the text of any other (an export's CSV) is in `text`. */
  body: T & { error?: { code: string; message: string; details?: Record<string, unknown> } };
  text: string;
}

export type Opened = ConsoleDetail & { administrators: Administrator[] };

export interface Account {
  consoleId: string;
  administratorId: string;
  email: string;
  password: string;
}

export interface CallOptions {
  body?: unknown;
  token?: string;
  ip?: string;
  headers?: Record<string, string>;
}

let addresses = 0;
/** A client address of its own (TRUST_PROXY), so no test spends another's rate limits. */
export const newAddress = (): string => {
  addresses += 1;
  return addresses < 255
    ? `198.51.100.${addresses}`
    : `198.18.${Math.floor(addresses / 250) % 256}.${(addresses % 250) + 1}`;
};

export type Call = <T = Record<string, unknown>>(
  method: string,
  path: string,
  options?: CallOptions,
) => Promise<Reply<T>>;

/** `call(method, path, { body, token, ip, headers })` against the gateway at `url()`. */
export function consoleApi(url: () => string): Call {
  return async <T = Record<string, unknown>>(
    method: string,
    path: string,
    options: CallOptions = {},
  ): Promise<Reply<T>> => {
    const response = await fetch(`${url()}${path}`, {
      method,
      headers: {
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
        ...(options.ip === undefined ? {} : { 'x-forwarded-for': options.ip }),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    const json = /^application\/json\b/.test(response.headers.get('content-type') ?? '');
    return {
      status: response.status,
      headers: response.headers,
      body: (json && text !== '' ? JSON.parse(text) : {}) as Reply<T>['body'],
      text,
    };
  };
}

/** A console opened through the ops API and its administrators, signing in through the gateway. */
export function consoleClient(system: { url(): string; smtp(): TestSmtpServer }, opsToken: string) {
  const call = consoleApi(() => system.url());

  const openConsole = async (
    administrators: Record<string, unknown>[] = [newAdministrator()],
    idempotencyKey: string = randomUUID(),
  ) =>
    call<Opened>('POST', '/ops/v1/consoles', {
      token: opsToken,
      headers: { 'idempotency-key': idempotencyKey },
      body: {
        // The same for a retry with the same key: only the administrators may differ.
        name: `Console KK ${idempotencyKey.slice(0, 8)}`,
        kind: 'trial',
        site: { name: 'HQ', seats: 5 },
        administrators,
      },
    });

  /** The newest activation e-mail to `email` from message `after` on: its link's token and the temporary password. */
  const activationMail = async (email: string, after = 0) => {
    const smtp = system.smtp();
    const { mail } = await smtp.waitFor(
      (m) =>
        m.envelopeTo.includes(email) &&
        /\/activation\//.test(m.mail.text ?? '') &&
        smtp.messages.indexOf(m) >= after,
    );
    const text = mail.text ?? '';
    return {
      token: /\/activation\/([A-Za-z0-9_-]+)/.exec(text)![1]!,
      temporaryPassword: /(?:Temporary password|仮パスワード): (\S+)/.exec(text)![1]!,
      text,
    };
  };

  /** The newest password-reset e-mail to `email` from message `after` on: its link's path and token. */
  const resetMail = async (email: string, after = 0) => {
    const smtp = system.smtp();
    const { mail } = await smtp.waitFor(
      (m) =>
        m.envelopeTo.includes(email) &&
        smtp.messages.indexOf(m) >= after &&
        /\/reset-password\//.test(m.mail.text ?? ''),
    );
    const [path, token] = /\/reset-password\/([A-Za-z0-9_-]+)/.exec(mail.text ?? '')!;
    return { path, token: token! };
  };

  const activationForm = (temporaryPassword: string) => ({
    temporaryPassword,
    password: PASSWORD,
    securityCode: SECURITY_CODE,
    securityQuestion: QUESTION,
    securityAnswer: ANSWER,
  });

  /** The invitee of `email` registers from the activation e-mail that arrived. */
  const activate = async (email: string): Promise<void> => {
    const { token, temporaryPassword } = await activationMail(email);
    const done = await call('POST', `/api/v1/activation/${token}`, {
      body: activationForm(temporaryPassword),
      ip: newAddress(),
    });
    if (done.status !== 204) throw new Error(`activation of ${email}: ${done.status} ${done.text}`);
  };

  /** A console with one administrator (a super admin) who has registered from the activation e-mail. */
  const register = async (): Promise<Account> => {
    const admin = newAdministrator();
    const opened = await openConsole([admin]);
    if (opened.status !== 201) throw new Error(`opening a console: ${opened.status}`);
    await activate(admin.email);
    return {
      consoleId: opened.body.console.id,
      administratorId: opened.body.administrators[0]!.id,
      email: admin.email,
      password: PASSWORD,
    };
  };

  /** Steps 1 and 2: the reply of the security-code step. */
  const loginToCode = async (account: Pick<Account, 'email' | 'password'>, ip = newAddress()) => {
    const challenge = await call<{ loginId: string; positions: [number, number] }>(
      'POST',
      '/api/v1/auth/login',
      { body: { login: account.email, password: account.password }, ip },
    );
    if (challenge.status !== 200) {
      throw new Error(`login of ${account.email}: ${challenge.status} ${challenge.text}`);
    }
    const characters = challenge.body.positions.map((p) => SECURITY_CODE[p - 1]).join('');
    return call<Session & { loginId: string; step: string }>(
      'POST',
      `/api/v1/auth/login/${challenge.body.loginId}/security-code`,
      { body: { characters }, ip },
    );
  };

  /** A session of an administrator without 2FA. */
  const signIn = async (
    account: Pick<Account, 'email' | 'password'>,
    ip = newAddress(),
  ): Promise<Session> => {
    const reply = await loginToCode(account, ip);
    if (reply.status !== 200 || typeof reply.body.accessToken !== 'string') {
      throw new Error(`sign-in of ${account.email}: ${reply.status} ${reply.text}`);
    }
    return reply.body;
  };

  /** A console whose super admin has signed in: the account, its access token and its first site. */
  const signedInConsole = async (): Promise<{
    account: Account;
    token: string;
    siteId: string;
    keycode: string;
  }> => {
    const account = await register();
    const token = (await signIn(account)).accessToken;
    const settings = await call<ConsoleDetail>('GET', '/api/v1/settings', { token });
    const site = settings.body.sites[0]!;
    return { account, token, siteId: site.id, keycode: site.keycode };
  };

  /** Turns 2FA on through the API (questions, then a current code): the secret and the recovery codes. */
  const enableTwoFactor = async (
    token: string,
  ): Promise<{ secret: string; recoveryCodes: string[] }> => {
    const setup = await call<{ setupId: string; secret: string }>('POST', '/api/v1/me/2fa/setup', {
      token,
      body: {
        answers: [
          { question: 'Town you were born in?', answer: 'Sendai' },
          { question: 'Your first school?', answer: 'Midori' },
        ],
      },
    });
    if (setup.status !== 201) throw new Error(`2FA setup: ${setup.status} ${setup.text}`);
    const confirmed = await call<{ recoveryCodes: string[] }>(
      'POST',
      `/api/v1/me/2fa/setup/${setup.body.setupId}/confirm`,
      { token, body: { code: authenticator.generate(setup.body.secret) } },
    );
    if (confirmed.status !== 200) {
      throw new Error(`2FA confirmation: ${confirmed.status} ${confirmed.text}`);
    }
    return { secret: setup.body.secret, recoveryCodes: confirmed.body.recoveryCodes };
  };

  return {
    call,
    enableTwoFactor,
    openConsole,
    activationMail,
    resetMail,
    activationForm,
    activate,
    register,
    loginToCode,
    signIn,
    signedInConsole,
  };
}

/**
 * The whole system for one `describe` block (see {@link signInStack}), its
 * gateway taking `opsToken` on the ops API and the sign-in limits raised
 * ({@link RAISED_SIGN_IN_LIMITS}), and a console client of it; `gateway`
 * adds to or overrides the gateway's settings.
 */
export function consoleStack(opsToken: string, gateway: Record<string, string> = {}) {
  const system = signInStack({
    gateway: { OPS_API_TOKENS: opsToken, ...RAISED_SIGN_IN_LIMITS, ...gateway },
  });
  return { system, client: consoleClient(system, opsToken) };
}
