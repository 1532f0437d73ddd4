import { type Administrator, identityRpc, type Me, type Session } from '@warden/contracts';
import { testServers } from '@warden/testing';
import { connect, type NatsConnection } from 'nats';
import { randomUUID } from 'node:crypto';
import { authenticator } from 'otplib';
import {
  ANSWER,
  consoleApi,
  consoleStack,
  newAddress,
  QUESTION,
  SECURITY_CODE,
} from './console-client';
import { newAdministrator, signInStack } from './system-under-test';

/**
 * DESIGN §3 journeys 1–5 through the gateway, as the web console and the
 * provider make them (§7b is the contract): a console opened by the ops API,
 * activation from the e-mail that arrives, the three login steps, sessions,
 * 2FA, password recovery and lockout; and the gateway's own part: access
 * tokens, revocation at logout, the sign-in limits.
 */

const TOKEN = `sign-in-operator-token-${randomUUID()}`;
const NEW_PASSWORD = 'staple4paper5clip6';

/** A TOTP code of `secret` for the time step `offset` steps from now, as an authenticator app shows it. */
const totpAt = (secret: string, offset = 0): string =>
  authenticator.clone({ epoch: Date.now() + offset * 30_000 }).generate(secret);

describe('console sign-in through the gateway (DESIGN §3, §7b)', () => {
  const { system, client } = consoleStack(TOKEN);
  const {
    call,
    openConsole,
    activationMail,
    activationForm,
    resetMail,
    register,
    loginToCode,
    signIn,
  } = client;

  describe('journey 1: the provider opens a console with its administrators', () => {
    it('invites each administrator by e-mail with a link and a temporary password', async () => {
      const contract = newAdministrator({ language: 'ja' });
      const service = newAdministrator({ language: 'en', phone: '+81 3-1234-5678' });

      const opened = await openConsole([contract, service]);

      expect(opened.status).toBe(201);
      expect(opened.body.administrators.map((a) => [a.email, a.state, a.language])).toEqual([
        [contract.email, 'invited', 'ja'],
        [service.email, 'invited', 'en'],
      ]);
      const ja = await activationMail(contract.email);
      const en = await activationMail(service.email);
      expect(ja.text).toContain('仮パスワード');
      expect(en.text).toContain('Temporary password');
      expect(ja.token).not.toBe(en.token);
      const listed = await call<{ items: Administrator[] }>(
        'GET',
        `/ops/v1/consoles/${opened.body.console.id}/administrators`,
        { token: TOKEN },
      );
      expect(listed.body.items.map((a) => a.email).sort()).toEqual(
        [contract.email, service.email].sort(),
      );
    });

    it('completes a console whose administrator was refused, on a retry with the same key', async () => {
      const taken = newAdministrator();
      expect((await openConsole([taken])).status).toBe(201);
      const key = randomUUID();

      const refused = await openConsole([{ ...taken, firstName: 'Jiro' }], key);
      const corrected = newAdministrator();
      const completed = await openConsole([corrected], key);

      expect(refused.status).toBe(409);
      expect(refused.body.error?.code).toBe('ADMIN_EMAIL_TAKEN');
      expect(completed.status).toBe(201);
      expect(completed.body.administrators.map((a) => a.email)).toEqual([corrected.email]);
      const again = await openConsole([corrected], key);
      expect(again.body.console.id).toBe(completed.body.console.id);
      expect(again.body.administrators.map((a) => a.id)).toEqual(
        completed.body.administrators.map((a) => a.id),
      );
    });

    it('resends the activation e-mail: the new link works, the old one is replaced', async () => {
      const admin = newAdministrator();
      const opened = await openConsole([admin]);
      const first = await activationMail(admin.email);
      const seen = system.smtp().messages.length;

      const resent = await call<Administrator>(
        'POST',
        `/ops/v1/consoles/${opened.body.console.id}/administrators/${opened.body.administrators[0]!.id}/activation`,
        { token: TOKEN },
      );
      const second = await activationMail(admin.email, seen);

      expect(resent.status).toBe(200);
      expect(resent.body.state).toBe('invited');
      expect(second.token).not.toBe(first.token);
      const old = await call('GET', `/api/v1/activation/${first.token}`, { ip: newAddress() });
      expect(old.status).toBe(410);
      expect(old.body.error?.code).toBe('ACTIVATION_LINK_REPLACED');
      const current = await call('GET', `/api/v1/activation/${second.token}`, {
        ip: newAddress(),
      });
      expect(current.status).toBe(200);
    });

    it('answers 404 for the administrators of a console that does not exist', async () => {
      const reply = await call('GET', `/ops/v1/consoles/${randomUUID()}/administrators`, {
        token: TOKEN,
      });

      expect(reply.status).toBe(404);
      expect(reply.body.error?.code).toBe('CONSOLE_NOT_FOUND');
    });
  });

  describe('journey 2: activation', () => {
    it('shows whose account the link registers, then names every broken rule at once', async () => {
      const admin = newAdministrator();
      const opened = await openConsole([admin]);
      const { token, temporaryPassword } = await activationMail(admin.email);
      const ip = newAddress();

      const view = await call('GET', `/api/v1/activation/${token}`, { ip });
      const broken = await call('POST', `/api/v1/activation/${token}`, {
        ip,
        body: { ...activationForm('wrong-temporary'), password: 'short1', securityCode: 'abc' },
      });

      expect(view.status).toBe(200);
      expect(view.body).toMatchObject({
        email: admin.email,
        consoleName: opened.body.console.name,
        expiresAt: expect.any(String) as unknown,
      });
      expect(broken.status).toBe(400);
      expect(broken.body.error?.code).toBe('VALIDATION_FAILED');
      expect(broken.body.error?.details?.['fields']).toMatchObject({
        password: expect.arrayContaining(['min_length', 'min_letters']) as unknown,
        securityCode: ['min_length'],
        temporaryPassword: ['incorrect'],
      });

      const done = await call('POST', `/api/v1/activation/${token}`, {
        ip,
        body: activationForm(temporaryPassword),
      });
      const reused = await call('POST', `/api/v1/activation/${token}`, {
        ip,
        body: activationForm(temporaryPassword),
      });
      expect(done.status).toBe(204);
      expect(reused.status).toBe(410);
      expect(reused.body.error?.code).toBe('ACTIVATION_LINK_USED');
    });

    it('refuses a malformed link token before asking identity', async () => {
      const reply = await call('GET', '/api/v1/activation/not*a*token', { ip: newAddress() });

      expect(reply.status).toBe(400);
      expect(reply.body.error?.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('journey 3: login', () => {
    it('asks two positions of the security code, then gives a session whose token is the console’s', async () => {
      const account = await register();
      const ip = newAddress();

      const challenge = await call<{ loginId: string; step: string; positions: number[] }>(
        'POST',
        '/api/v1/auth/login',
        { body: { login: account.email, password: account.password }, ip },
      );
      const [i, j] = challenge.body.positions;
      const session = await call<Session>(
        'POST',
        `/api/v1/auth/login/${challenge.body.loginId}/security-code`,
        { body: { characters: `${SECURITY_CODE[i! - 1]}${SECURITY_CODE[j! - 1]}` }, ip },
      );
      const me = await call<Me>('GET', '/api/v1/me', { token: session.body.accessToken, ip });

      expect(challenge.body.step).toBe('security_code');
      expect(i).not.toBe(j);
      expect(session.status).toBe(200);
      expect(session.body).toMatchObject({
        twoFactor: 'not_set_up',
        expiresIn: expect.any(Number) as unknown,
      });
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({
        id: account.administratorId,
        consoleId: account.consoleId,
        email: account.email,
      });
    });

    it('answers a wrong password, a wrong code and an unknown login alike: 401 LOGIN_FAILED', async () => {
      const account = await register();
      const ip = newAddress();

      const wrongPassword = await call('POST', '/api/v1/auth/login', {
        body: { login: account.email, password: 'not-the-password-1' },
        ip,
      });
      const unknown = await call('POST', '/api/v1/auth/login', {
        body: { login: `nobody-${randomUUID()}@example.jp`, password: 'not-the-password-1' },
        ip,
      });
      const challenge = await call<{ loginId: string }>('POST', '/api/v1/auth/login', {
        body: { login: account.email, password: account.password },
        ip,
      });
      const badCharacters = await call(
        'POST',
        `/api/v1/auth/login/${challenge.body.loginId}/security-code`,
        { body: { characters: '##' }, ip },
      );

      expect(challenge.status).toBe(200);
      for (const failed of [wrongPassword, unknown, badCharacters]) {
        expect(failed.status).toBe(401);
        expect(failed.body.error).toEqual({
          code: 'LOGIN_FAILED',
          message: wrongPassword.body.error?.message,
          requestId: expect.any(String) as unknown,
        });
      }
    });

    it('changes the language of the signed-in administrator only, from the token', async () => {
      const account = await register();
      const session = await signIn(account);

      const changed = await call<Me>('PATCH', '/api/v1/me', {
        token: session.accessToken,
        body: { language: 'ja' },
      });

      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ id: account.administratorId, language: 'ja' });
    });
  });

  describe('password change', () => {
    it('needs the current password and the rules; this session goes on, the others end', async () => {
      const account = await register();
      const mine = await signIn(account);
      const other = await signIn(account);
      const change = (body: Record<string, unknown>) =>
        call('POST', '/api/v1/me/password', { token: mine.accessToken, body, ip: newAddress() });

      const wrong = await change({
        currentPassword: 'not-it-123',
        newPassword: 'brand-new-pass-427',
      });
      const weak = await change({ currentPassword: account.password, newPassword: 'short' });
      const done = await change({
        currentPassword: account.password,
        newPassword: 'brand-new-pass-427',
      });
      const refresh = (refreshToken: string) =>
        call('POST', '/api/v1/auth/refresh', { body: { refreshToken }, ip: newAddress() });

      expect(wrong.status).toBe(403);
      expect(wrong.body.error?.code).toBe('CREDENTIALS_INCORRECT');
      expect(weak.status).toBe(400);
      expect(weak.body.error?.details?.['fields']).toEqual({
        newPassword: ['min_length', 'min_letters', 'min_digits'],
      });
      expect(done.status).toBe(204);
      expect((await refresh(mine.refreshToken)).status).toBe(200);
      expect((await refresh(other.refreshToken)).status).toBe(401);
      await signIn({ email: account.email, password: 'brand-new-pass-427' });
    });
  });

  describe('sessions', () => {
    it('rotates the refresh token; one used twice ends the session and its access tokens', async () => {
      const account = await register();
      const first = await signIn(account);
      const ip = newAddress();

      const second = await call<Session>('POST', '/api/v1/auth/refresh', {
        body: { refreshToken: first.refreshToken },
        ip,
      });
      const reused = await call('POST', '/api/v1/auth/refresh', {
        body: { refreshToken: first.refreshToken },
        ip,
      });
      const third = await call('POST', '/api/v1/auth/refresh', {
        body: { refreshToken: second.body.refreshToken },
        ip,
      });
      const me = await call('GET', '/api/v1/me', { token: second.body.accessToken, ip });

      expect(second.status).toBe(200);
      expect(second.body.refreshToken).not.toBe(first.refreshToken);
      expect(reused.status).toBe(401);
      expect(reused.body.error?.code).toBe('SESSION_INVALID');
      expect(third.status).toBe(401);
      expect(me.status).toBe(401);
      expect(me.body.error?.code).toBe('UNAUTHENTICATED');
    });

    it('a made-up secret for a known session id ends nothing', async () => {
      const account = await register();
      const session = await signIn(account);
      const sessionId = session.refreshToken.split('.')[0]!;

      const forged = await call('POST', '/api/v1/auth/refresh', {
        body: { refreshToken: `${sessionId}.${'A'.repeat(43)}` },
        ip: newAddress(),
      });
      const me = await call('GET', '/api/v1/me', { token: session.accessToken });
      const refreshed = await call('POST', '/api/v1/auth/refresh', {
        body: { refreshToken: session.refreshToken },
        ip: newAddress(),
      });

      expect(forged.status).toBe(401);
      expect(forged.body).toEqual({
        error: expect.objectContaining({ code: 'SESSION_INVALID' }) as unknown,
      });
      expect(forged.body.error?.details).toBeUndefined();
      expect(me.status).toBe(200);
      expect(refreshed.status).toBe(200);
    });

    it('logs out: the access token stops working at once, and so does the refresh token', async () => {
      const account = await register();
      const session = await signIn(account);
      const other = await signIn(account);

      const before = await call('GET', '/api/v1/me', { token: session.accessToken });
      const out = await call('POST', '/api/v1/auth/logout', { token: session.accessToken });
      const after = await call('GET', '/api/v1/me', { token: session.accessToken });
      const refresh = await call('POST', '/api/v1/auth/refresh', {
        body: { refreshToken: session.refreshToken },
        ip: newAddress(),
      });
      const otherSession = await call('GET', '/api/v1/me', { token: other.accessToken });

      expect(before.status).toBe(200);
      expect(out.status).toBe(204);
      expect(after.status).toBe(401);
      expect(after.headers.get('www-authenticate')).toBe(
        'Bearer realm="warden", error="invalid_token"',
      );
      expect(refresh.status).toBe(401);
      expect(otherSession.status).toBe(200);
    });

    it('refuses a token that is not identity’s, and no token, with a bare 401', async () => {
      const [header, payload] = (await signIn(await register())).accessToken.split('.');
      const forged = `${header}.${payload}.${'A'.repeat(86)}`;

      const replies = await Promise.all([
        call('GET', '/api/v1/me'),
        call('GET', '/api/v1/me', { token: forged }),
        call('GET', '/api/v1/me', { token: TOKEN }),
      ]);

      expect(replies.map((r) => r.status)).toEqual([401, 401, 401]);
      expect(replies.map((r) => r.body.error?.code)).toEqual([
        'UNAUTHENTICATED',
        'UNAUTHENTICATED',
        'UNAUTHENTICATED',
      ]);
    });
  });

  describe('journey 4: two-factor authentication', () => {
    it('sets up TOTP, then asks for it at login; a recovery code works once; disabling needs both', async () => {
      const account = await register();
      const session = await signIn(account);
      const ip = newAddress();
      const token = session.accessToken;

      const setup = await call<{
        setupId: string;
        secret: string;
        otpauthUri: string;
        qrCode: string;
      }>('POST', '/api/v1/me/2fa/setup', {
        token,
        body: {
          answers: [
            { question: 'Town you were born in?', answer: 'Sapporo' },
            { question: 'Your first school?', answer: 'Sakura' },
          ],
        },
      });
      expect(setup.status).toBe(201);
      expect(setup.body.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
      expect(setup.body.qrCode).toMatch(/^data:image\/png;base64,/);
      const wrong = await call('POST', `/api/v1/me/2fa/setup/${setup.body.setupId}/confirm`, {
        token,
        body: { code: totpAt(setup.body.secret, 5) },
      });
      const confirmed = await call<{ recoveryCodes: string[] }>(
        'POST',
        `/api/v1/me/2fa/setup/${setup.body.setupId}/confirm`,
        { token, body: { code: totpAt(setup.body.secret) } },
      );
      expect(wrong.status).toBe(422);
      expect(confirmed.status).toBe(200);
      expect(confirmed.body.recoveryCodes).toHaveLength(10);

      // Signing in now takes a third step.
      const step = await loginToCode(account, ip);
      expect(step.body).toEqual({ loginId: expect.any(String) as unknown, step: 'totp' });
      const both = await call('POST', `/api/v1/auth/login/${step.body.loginId}/totp`, {
        ip,
        body: { code: totpAt(setup.body.secret), recoveryCode: confirmed.body.recoveryCodes[0] },
      });
      const neither = await call('POST', `/api/v1/auth/login/${step.body.loginId}/totp`, {
        ip,
        body: {},
      });
      expect([both.status, neither.status]).toEqual([400, 400]);
      expect(both.body.error?.details?.['fields']).toEqual({ _: ['exactly_one'] });
      // The confirming code's time step is spent: a recovery code now, the next step's code later.
      const withRecovery = await call<Session>(
        'POST',
        `/api/v1/auth/login/${step.body.loginId}/totp`,
        { ip, body: { recoveryCode: confirmed.body.recoveryCodes[0] } },
      );
      expect(withRecovery.status).toBe(200);
      expect(withRecovery.body.twoFactor).toBe('enabled');

      const again = await loginToCode(account, ip);
      const spentCode = await call('POST', `/api/v1/auth/login/${again.body.loginId}/totp`, {
        ip,
        body: { recoveryCode: confirmed.body.recoveryCodes[0] },
      });
      expect(spentCode.status).toBe(401);
      expect(spentCode.body.error?.code).toBe('LOGIN_FAILED');

      const badDisable = await call('POST', '/api/v1/me/2fa/disable', {
        token: withRecovery.body.accessToken,
        body: { password: 'not-my-password-1', code: totpAt(setup.body.secret, 1) },
      });
      const disabled = await call('POST', '/api/v1/me/2fa/disable', {
        token: withRecovery.body.accessToken,
        body: { password: account.password, code: totpAt(setup.body.secret, 1) },
      });
      expect(badDisable.status).toBe(403);
      expect(badDisable.body.error?.code).toBe('CREDENTIALS_INCORRECT');
      expect(disabled.status).toBe(204);
      expect((await loginToCode(account, ip)).body).toMatchObject({ twoFactor: 'not_set_up' });
    });

    it('cancels a setup and leaves the account exactly as before', async () => {
      const account = await register();
      const { accessToken: token } = await signIn(account);
      const setup = await call<{ setupId: string; secret: string }>(
        'POST',
        '/api/v1/me/2fa/setup',
        {
          token,
          body: {
            answers: [
              { question: 'Town you were born in?', answer: 'Sendai' },
              { question: 'Your first school?', answer: 'Midori' },
            ],
          },
        },
      );

      const cancelled = await call('DELETE', `/api/v1/me/2fa/setup/${setup.body.setupId}`, {
        token,
      });
      const confirmAfter = await call(
        'POST',
        `/api/v1/me/2fa/setup/${setup.body.setupId}/confirm`,
        { token, body: { code: totpAt(setup.body.secret) } },
      );
      const me = await call<Me>('GET', '/api/v1/me', { token });

      expect(cancelled.status).toBe(204);
      expect(confirmAfter.status).toBe(404);
      expect(me.body.twoFactor).toBe('not_set_up');
      expect((await loginToCode(account)).body).toMatchObject({ twoFactor: 'not_set_up' });
    });
  });

  describe('journey 5: password recovery', () => {
    it('e-mail → security question → answer → reset link by e-mail → new password', async () => {
      const account = await register();
      const ip = newAddress();
      const seen = system.smtp().messages.length;

      const challenge = await call<{ recoveryId: string; question: string }>(
        'POST',
        '/api/v1/auth/recovery',
        { body: { email: account.email }, ip },
      );
      const answered = await call('POST', `/api/v1/auth/recovery/${challenge.body.recoveryId}`, {
        body: { answer: ANSWER },
        ip,
      });
      const { token: resetToken } = await resetMail(account.email, seen);
      const weak = await call('POST', `/api/v1/auth/reset/${resetToken}`, {
        body: { password: 'weak' },
        ip,
      });
      const reset = await call('POST', `/api/v1/auth/reset/${resetToken}`, {
        body: { password: NEW_PASSWORD },
        ip,
      });
      const used = await call('POST', `/api/v1/auth/reset/${resetToken}`, {
        body: { password: NEW_PASSWORD },
        ip,
      });

      expect(challenge.status).toBe(200);
      expect(challenge.body.question).toBe(QUESTION);
      expect(answered.status).toBe(202);
      expect(weak.status).toBe(400);
      expect(reset.status).toBe(204);
      expect(used.status).toBe(410);
      await signIn({ ...account, password: NEW_PASSWORD });
      const old = await call('POST', '/api/v1/auth/login', {
        body: { login: account.email, password: account.password },
        ip,
      });
      expect(old.status).toBe(401);
    });

    it('shows a question for an unknown address too, the same one each time', async () => {
      const email = `nobody-${randomUUID()}@example.jp`;
      const ip = newAddress();

      const first = await call<{ question: string }>('POST', '/api/v1/auth/recovery', {
        body: { email },
        ip,
      });
      const second = await call<{ question: string }>('POST', '/api/v1/auth/recovery', {
        body: { email },
        ip,
      });

      expect(first.status).toBe(200);
      expect(second.body.question).toBe(first.body.question);
    });
  });

  describe('journey 3: lockout', () => {
    it('locks the account after 5 failures, telling only a caller who knows the password', async () => {
      const account = await register();
      const ip = newAddress();
      for (let i = 0; i < 5; i++) {
        const failed = await call('POST', '/api/v1/auth/login', {
          body: { login: account.email, password: `wrong-password-${i}` },
          ip,
        });
        expect(failed.status).toBe(401);
      }

      const right = await call('POST', '/api/v1/auth/login', {
        body: { login: account.email, password: account.password },
        ip,
      });
      const wrong = await call('POST', '/api/v1/auth/login', {
        body: { login: account.email, password: 'wrong-password-6' },
        ip,
      });

      expect(right.status).toBe(423);
      expect(right.body.error?.code).toBe('ACCOUNT_LOCKED');
      expect(wrong.status).toBe(401);
      expect(wrong.body.error?.code).toBe('LOGIN_FAILED');
    });
  });
});

describe('sign-in limits per address (the gateway)', () => {
  const system = signInStack({
    gateway: {
      OPS_API_TOKENS: TOKEN,
      TRUST_PROXY: 'true',
      RATE_LIMIT_SIGN_IN: '4',
      RATE_LIMIT_AUTH_FAILURES: '3',
    },
  });
  const call = consoleApi(() => system.url());
  let bus: NatsConnection;
  const reports: { bucket: string; sourceIp?: string }[] = [];
  const reported = new Set<() => void>();

  beforeAll(async () => {
    // Alongside identity (not in its queue group): sees each report identity gets.
    bus = await connect({ servers: testServers().natsUrl });
    bus.subscribe(identityRpc.reportRateLimited.subject, {
      callback: (_, message) => {
        const { data } = message.json<{
          data: { bucket: string; caller: { sourceIp?: string } };
        }>();
        reports.push({ bucket: data.bucket, sourceIp: data.caller.sourceIp });
        reported.forEach((wake) => wake());
      },
    });
    await bus.flush();
  });

  afterAll(async () => {
    await bus?.drain();
  });

  const reportFor = (ip: string, bucket: string) =>
    new Promise<void>((found) => {
      const check = () => {
        if (!reports.some((r) => r.sourceIp === ip && r.bucket === bucket)) return;
        reported.delete(check);
        found();
      };
      reported.add(check);
      check();
    });

  it('refuses the requests past RATE_LIMIT_SIGN_IN with 429 and Retry-After, and has identity audit it once', async () => {
    const ip = '203.0.113.21';
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 6; i++) {
      // Malformed on purpose: the limit is charged before anything else is looked at.
      const reply = await call('POST', '/api/v1/auth/recovery', { body: {}, ip });
      statuses.push(reply.status);
      if (reply.status === 429) retryAfter = reply.headers.get('retry-after');
    }

    expect(statuses).toEqual([400, 400, 400, 400, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    await reportFor(ip, 'sign-in');
    expect(reports.filter((r) => r.sourceIp === ip)).toEqual([{ bucket: 'sign-in', sourceIp: ip }]);
    const elsewhere = await call('POST', '/api/v1/auth/recovery', {
      body: {},
      ip: '203.0.113.22',
    });
    expect(elsewhere.status).toBe(400);
  });

  it('counts every LOGIN_FAILED against the address: past RATE_LIMIT_AUTH_FAILURES even a right password gets 429', async () => {
    const ip = '203.0.113.31';
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const reply = await call('POST', '/api/v1/auth/login', {
        body: { login: `nobody-${randomUUID()}@example.jp`, password: 'guess-number-1' },
        ip,
      });
      statuses.push(reply.status);
    }

    expect(statuses).toEqual([401, 401, 401, 429]);
    await reportFor(ip, 'authentication failures');
    const refreshed = await call('POST', '/api/v1/auth/refresh', {
      body: { refreshToken: `${randomUUID()}.secret` },
      ip,
    });
    expect(refreshed.status).toBe(429);
  });
});
