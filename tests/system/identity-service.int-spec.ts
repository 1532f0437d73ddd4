import { identityRpc } from '@warden/contracts';
import jwt from 'jsonwebtoken';
import {
  anonymous,
  type IdentityHarness,
  operator,
  outcome,
  startIdentity,
  totpAt,
  uniqueEmail,
} from './identity-harness';

let h: IdentityHarness;
beforeAll(async () => {
  h = await startIdentity({ LOGIN_MAX_FAILURES: '5' });
});
afterAll(() => h?.stop());

describe('activation', () => {
  it('invites, mails a link and a temporary password, and registers once', async () => {
    const opened = await h.openConsole();
    const mail = await h.activationMail(opened.email);
    const view = await h.client.request(identityRpc.getActivation, {
      caller: anonymous,
      token: mail.token,
    });
    expect(view.email).toBe(opened.email);

    const form = {
      caller: anonymous,
      token: mail.token,
      temporaryPassword: mail.temporaryPassword,
      password: 'abc',
      securityCode: '123',
      securityQuestion: 'Pet?',
      securityAnswer: 'Rex',
    };
    const refused = await h.client
      .request(identityRpc.completeActivation, form)
      .catch((error: { details?: unknown; code: string }) => error);
    expect(refused).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: {
        fields: {
          password: ['min_length', 'min_letters', 'min_digits'],
          securityCode: ['min_length'],
        },
      },
    });
    const good = { ...form, password: 'abcdefg123', securityCode: '654321' };
    const both = await Promise.all([
      outcome(h.client.request(identityRpc.completeActivation, good)),
      outcome(h.client.request(identityRpc.completeActivation, good)),
    ]);
    expect(both.sort()).toEqual(['ACTIVATION_LINK_USED', 'OK']);
    expect(
      await outcome(
        h.client.request(identityRpc.getActivation, { caller: anonymous, token: mail.token }),
      ),
    ).toBe('ACTIVATION_LINK_USED');
  });

  it('a resent activation replaces the old link', async () => {
    const opened = await h.openConsole();
    const first = await h.activationMail(opened.email);
    const count = h.smtp.messages.length;
    await h.client.request(identityRpc.resendActivation, {
      caller: operator,
      consoleId: opened.consoleId,
      administratorId: opened.administratorId,
    });
    const second = await h.activationMail(opened.email, count);
    expect(second.token).not.toBe(first.token);
    expect(
      await outcome(
        h.client.request(identityRpc.getActivation, { caller: anonymous, token: first.token }),
      ),
    ).toBe('ACTIVATION_LINK_REPLACED');
  });

  it('an expired link says so; a wrong temporary password is named; an unknown link is unknown', async () => {
    const opened = await h.openConsole();
    const mail = await h.activationMail(opened.email);
    const form = {
      caller: anonymous,
      token: mail.token,
      temporaryPassword: 'wrong',
      password: 'abcdefg123',
      securityCode: '654321',
      securityQuestion: 'Pet?',
      securityAnswer: 'Rex',
    };
    await expect(h.client.request(identityRpc.completeActivation, form)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { fields: { temporaryPassword: ['incorrect'] } },
    });
    // Seven days pass.
    await h.db
      .collection('activation_links')
      .updateMany(
        { administratorId: opened.administratorId },
        { $set: { expiresAt: new Date(Date.now() - 1000) } },
      );
    expect(
      await outcome(
        h.client.request(identityRpc.completeActivation, {
          ...form,
          temporaryPassword: mail.temporaryPassword,
        }),
      ),
    ).toBe('ACTIVATION_LINK_EXPIRED');
    expect(
      await outcome(
        h.client.request(identityRpc.getActivation, { caller: anonymous, token: 'A'.repeat(43) }),
      ),
    ).toBe('ACTIVATION_LINK_UNKNOWN');
  });

  it('the same e-mail in another console is refused', async () => {
    const email = uniqueEmail();
    await h.openConsole(email);
    expect(await outcome(h.openConsole(email))).toBe('ADMIN_EMAIL_TAKEN');
  });
});

describe('login', () => {
  it('asks two positions, then gives a session with 2FA not set up', async () => {
    const account = await h.register();
    const session = await h.signIn(account);
    expect(session.twoFactor).toBe('not_set_up');
    const claims = jwt.verify(session.accessToken, h.verifyKey, {
      algorithms: ['ES256'],
    }) as jwt.JwtPayload;
    expect(claims).toMatchObject({ sub: account.administratorId, cid: account.consoleId });
  });

  it('wrong characters fail; five failures lock the account', async () => {
    const account = await h.register();
    for (let i = 0; i < 5; i++) {
      expect(await outcome(h.loginToCode(account, () => '##'))).toBe('LOGIN_FAILED');
    }
    expect(await outcome(h.loginToCode(account))).toBe('ACCOUNT_LOCKED');
    expect(
      await outcome(
        h.client.request(identityRpc.login, {
          caller: anonymous,
          login: account.email,
          password: 'wrong-password-1',
        }),
      ),
    ).toBe('LOGIN_FAILED');
  });

  it('refresh rotates; a reused refresh token ends the session', async () => {
    const account = await h.register();
    const first = await h.signIn(account);
    const second = await h.client.request(identityRpc.refreshSession, {
      caller: anonymous,
      refreshToken: first.refreshToken,
    });
    expect(
      await outcome(
        h.client.request(identityRpc.refreshSession, {
          caller: anonymous,
          refreshToken: first.refreshToken,
        }),
      ),
    ).toBe('SESSION_INVALID');
    expect(
      await outcome(
        h.client.request(identityRpc.refreshSession, {
          caller: anonymous,
          refreshToken: second.refreshToken,
        }),
      ),
    ).toBe('SESSION_INVALID');
  });
});

describe('two-factor', () => {
  it('sets up, logs in with TOTP once per code, recovery codes once', async () => {
    const account = await h.register();
    const caller = h.callerOf(account);
    const setup = await h.client.request(identityRpc.startTwoFactorSetup, {
      caller,
      answers: [
        { question: 'First car?', answer: 'Civic' },
        { question: 'First street?', answer: 'Elm' },
      ],
    });
    expect(setup.qrCode).toMatch(/^data:image\/png;base64,/);
    const { recoveryCodes } = await h.client.request(identityRpc.confirmTwoFactorSetup, {
      caller,
      setupId: setup.setupId,
      code: totpAt(setup.secret, -1),
    });
    expect(recoveryCodes).toHaveLength(10);

    const step = await h.loginToCode(account);
    expect(step).toMatchObject({ step: 'totp' });
    const loginId = (step as { loginId: string }).loginId;
    const session = await h.client.request(identityRpc.loginTotp, {
      caller: anonymous,
      loginId,
      code: totpAt(setup.secret, 0),
    });
    expect(session.twoFactor).toBe('enabled');

    // Replay of the same code in its window fails.
    const again = (await h.loginToCode(account)) as { loginId: string };
    expect(
      await outcome(
        h.client.request(identityRpc.loginTotp, {
          caller: anonymous,
          loginId: again.loginId,
          code: totpAt(setup.secret, 0),
        }),
      ),
    ).toBe('LOGIN_FAILED');

    const withRecovery = (await h.loginToCode(account)) as { loginId: string };
    await h.client.request(identityRpc.loginTotp, {
      caller: anonymous,
      loginId: withRecovery.loginId,
      recoveryCode: recoveryCodes[0]!,
    });
    const reuse = (await h.loginToCode(account)) as { loginId: string };
    expect(
      await outcome(
        h.client.request(identityRpc.loginTotp, {
          caller: anonymous,
          loginId: reuse.loginId,
          recoveryCode: recoveryCodes[0]!,
        }),
      ),
    ).toBe('LOGIN_FAILED');
  });
});

describe('recovery', () => {
  it('question, answer, reset link, new password', async () => {
    const account = await h.register();
    const { recoveryId, question } = await h.client.request(identityRpc.startRecovery, {
      caller: anonymous,
      email: account.email,
    });
    expect(question).toBe('Favourite animal?');
    const count = h.smtp.messages.length;
    await h.client.request(identityRpc.answerRecovery, {
      caller: anonymous,
      recoveryId,
      answer: '  blue   WHALE ',
    });
    const mail = await h.smtp.waitFor(
      (m) =>
        m.envelopeTo.includes(account.email) &&
        /reset-password\//.test(m.mail.text ?? '') &&
        h.smtp.messages.indexOf(m) >= count,
    );
    const token = /reset-password\/([A-Za-z0-9_-]+)/.exec(mail.mail.text ?? '')![1]!;
    await h.client.request(identityRpc.resetPassword, {
      caller: anonymous,
      token,
      password: 'newpassword999',
    });
    expect(
      await outcome(
        h.client.request(identityRpc.resetPassword, {
          caller: anonymous,
          token,
          password: 'newpassword999',
        }),
      ),
    ).toBe('RESET_LINK_USED');
    await h.signIn({ ...account, password: 'newpassword999' });
  });

  it('an unknown address gets a stable decoy question', async () => {
    const email = uniqueEmail();
    const a = await h.client.request(identityRpc.startRecovery, { caller: anonymous, email });
    const b = await h.client.request(identityRpc.startRecovery, { caller: anonymous, email });
    expect(a.question).toBe(b.question);
  });
});

describe('edges', () => {
  it('new positions each attempt; characters for an earlier attempt fail', async () => {
    const account = await h.register();
    const first = await h.client.request(identityRpc.login, {
      caller: anonymous,
      login: account.email,
      password: account.password,
    });
    const second = await h.client.request(identityRpc.login, {
      caller: anonymous,
      login: account.email,
      password: account.password,
    });
    expect(first.positions[0]).not.toBe(first.positions[1]);
    expect(second.positions).not.toEqual(first.positions);
    const earlier = first.positions.map((p) => account.securityCode[p - 1]).join('');
    expect(
      await outcome(
        h.client.request(identityRpc.loginSecurityCode, {
          caller: anonymous,
          loginId: second.loginId,
          characters: earlier,
        }),
      ),
    ).toBe('LOGIN_FAILED');
    // One try per loginId: the right characters after a wrong try fail too.
    const right = second.positions.map((p) => account.securityCode[p - 1]).join('');
    expect(
      await outcome(
        h.client.request(identityRpc.loginSecurityCode, {
          caller: anonymous,
          loginId: second.loginId,
          characters: right,
        }),
      ),
    ).toBe('LOGIN_FAILED');
  });

  it('an unknown login and a wrong password get the same answer', async () => {
    const account = await h.register();
    const unknown = h.client.request(identityRpc.login, {
      caller: anonymous,
      login: uniqueEmail(),
      password: account.password,
    });
    const wrong = h.client.request(identityRpc.login, {
      caller: anonymous,
      login: account.email,
      password: 'not-the-password-1',
    });
    const [a, b] = await Promise.all([
      unknown.catch((e: Error) => e),
      wrong.catch((e: Error) => e),
    ]);
    expect(a).toEqual(b);
  });

  it('an abandoned or cancelled 2FA setup leaves the account as it was', async () => {
    const account = await h.register();
    const caller = h.callerOf(account);
    const answers = [
      { question: 'First car?', answer: 'Civic' },
      { question: 'First street?', answer: 'Elm' },
    ];
    await h.client.request(identityRpc.startTwoFactorSetup, { caller, answers }); // abandoned
    const cancelled = await h.client.request(identityRpc.startTwoFactorSetup, { caller, answers });
    await h.client.request(identityRpc.cancelTwoFactorSetup, {
      caller,
      setupId: cancelled.setupId,
    });
    expect(
      await outcome(
        h.client.request(identityRpc.confirmTwoFactorSetup, {
          caller,
          setupId: cancelled.setupId,
          code: totpAt(cancelled.secret),
        }),
      ),
    ).toBe('TWO_FACTOR_SETUP_NOT_FOUND');
    const session = await h.signIn(account);
    expect(session.twoFactor).toBe('not_set_up');
  });

  it('another administrator cannot confirm my setup', async () => {
    const mine = await h.register();
    const theirs = await h.register();
    const setup = await h.client.request(identityRpc.startTwoFactorSetup, {
      caller: h.callerOf(mine),
      answers: [
        { question: 'First car?', answer: 'Civic' },
        { question: 'First street?', answer: 'Elm' },
      ],
    });
    expect(
      await outcome(
        h.client.request(identityRpc.confirmTwoFactorSetup, {
          caller: h.callerOf(theirs),
          setupId: setup.setupId,
          code: totpAt(setup.secret),
        }),
      ),
    ).toBe('TWO_FACTOR_SETUP_NOT_FOUND');
  });

  it('activation mail in Japanese for a Japanese console', async () => {
    const email = uniqueEmail();
    await h.openConsole(email, 'ja');
    const mail = await h.activationMail(email);
    expect(mail.subject).toContain('アカウントの作成');
    expect(mail.text).toContain('仮パスワード');
    expect(mail.text).toContain('個人用セキュリティコード');
  });

  it('activation mail in English for an English console', async () => {
    const email = uniqueEmail();
    await h.openConsole(email, 'en');
    const mail = await h.activationMail(email);
    expect(mail.subject).toContain('Create your account');
    expect(mail.text).toContain('Temporary password');
  });
});
