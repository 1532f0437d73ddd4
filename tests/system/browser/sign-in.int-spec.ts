import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { authenticator } from 'otplib';
import type { Locator, Page } from 'playwright-core';
import { ANSWER, PASSWORD, QUESTION, SECURITY_CODE } from '../console-client';
import { newAdministrator } from '../system-under-test';
import {
  browserStack,
  expectAccessible,
  expectCleanConsole,
  type Language,
  screenshot,
} from './browser-harness';

/*
 * DESIGN §3 journeys 2–5 in the browser, in both languages, against the real
 * stack: activation from the e-mail's link, login with the security-code
 * step, "skip for now", logout, the 2FA wizard (cancelled once, then
 * finished), login with a code from the app (or a recovery code), password
 * recovery through the e-mail, and a session that expires.
 */

const TOKEN = `browser-sign-in-operator-token-${process.pid}`;
const NEW_PASSWORD = 'staple4paper5clip6';

const LOCALES = join(__dirname, '../../../apps/console/src/i18n/locales');

type Translate = (key: string, values?: Record<string, string | number>) => string;

/**
 * The console's own words in `language` (its translation files), as
 * `t('ns:key', values)` fills them: the test finds what a person reads.
 */
function translations(language: Language): Translate {
  const namespaces = new Map<string, unknown>();
  return (key, values = {}) => {
    const [ns, path] = key.split(':') as [string, string];
    if (!namespaces.has(ns)) {
      namespaces.set(ns, JSON.parse(readFileSync(join(LOCALES, language, `${ns}.json`), 'utf8')));
    }
    const text = path
      .split('.')
      .reduce<unknown>(
        (node, part) => (node as Record<string, unknown>)?.[part],
        namespaces.get(ns),
      );
    if (typeof text !== 'string') throw new Error(`no text ${key} in ${language}`);
    return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name]));
  };
}

/** The input a label names (the label's required asterisk aside). */
const field = (page: Page, label: string) =>
  page.getByLabel(new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\*)?$`));

/** The error shown under a field (Mantine gives it the input's id and `-error`). */
const errorOf = async (page: Page, input: Locator) =>
  page.locator(`#${await input.getAttribute('id')}-error`).textContent();

/** A code of the authenticator app for the time step `offset` steps from now. */
const totpAt = (secret: string, offset = 0) =>
  authenticator.clone({ epoch: Date.now() + offset * 30_000 }).generate(secret);

/** The DESIGN §11 terms the Japanese screens must use, word for word. */
const JAPANESE_TERMS = {
  createAccount: 'アカウントの作成',
  registrationConfirmation: '登録確認',
  registerNow: '今すぐ登録',
  temporaryPassword: '仮パスワード',
  securityCode: '個人用セキュリティコード',
  securityQuestion: 'セキュリティの質問',
  setUp2fa: '2FAを設定する',
  skip: '今はスキップする',
  verifyCode: '認証コードを確認する',
  finishSetup: '設定を完了する',
};

describe('the Japanese sign-in screens', () => {
  it('has the terms of DESIGN §11 in Japanese', () => {
    const t = translations('ja');
    expect(
      [
        'activation.title',
        'activation.doneTitle',
        'activation.submit',
        'activation.temporaryPassword',
        'activation.securityCode',
        'activation.securityQuestion',
        'offer.setUp',
        'offer.skip',
        'twoFactorSetup.verify',
        'twoFactorSetup.finish',
      ].map((key) => t(`signIn:${key}`)),
    ).toEqual(Object.values(JAPANESE_TERMS));
  });
});

describe.each<Language>(['ja', 'en'])('sign-in and account in the browser (%s)', (language) => {
  const { client, openPage, system } = browserStack(`${TOKEN}-${language}`);
  const t = translations(language);
  const shot = (page: Page, name: string) =>
    screenshot(page, language === 'ja' ? name : `${name}-${language}`);

  /**
   * A registered super admin whose profile speaks this run's language (the
   * profile's language wins once signed in).
   */
  const register = async () => {
    const account = await client.register();
    const { accessToken: token } = await client.signIn(account);
    await client.call('PATCH', '/api/v1/me', { token, body: { language } });
    return account;
  };

  /** Steps 1 and 2 of the login form: the password, then the characters at the positions asked. */
  const loginToSecondStep = async (page: Page, email: string, password: string) => {
    await field(page, t('signIn:login.login')).fill(email);
    await field(page, t('signIn:login.password')).fill(password);
    await page.getByRole('button', { name: t('signIn:login.submit'), exact: true }).click();
    await page
      .getByRole('heading', { level: 1, name: t('signIn:login.titles.security_code') })
      .waitFor();
    const positionLabel = new RegExp(
      `^${t('signIn:securityCode.position', { position: '(\\d+)' })}`,
    );
    const labels = await page.locator('label').allTextContents();
    const positions = labels
      .map((label) => positionLabel.exec(label)?.[1])
      .filter((p): p is string => p !== undefined)
      .map(Number);
    expect(positions).toHaveLength(2);
    const instructions = t('signIn:securityCode.instructions', {
      first: positions[0]!,
      second: positions[1]!,
    });
    await page.getByText(instructions).waitFor();
    return positions;
  };

  const typeSecurityCode = async (page: Page, positions: number[]) => {
    for (const position of positions) {
      await field(page, t('signIn:securityCode.position', { position })).fill(
        SECURITY_CODE[position - 1]!,
      );
    }
    await page.getByRole('button', { name: t('signIn:securityCode.submit'), exact: true }).click();
  };

  const logout = async (page: Page) => {
    await page.getByTestId('account-menu').click();
    await page.getByRole('menuitem', { name: t('common:actions.logout') }).click();
    await page.getByText(t('common:session.signedOut')).waitFor();
  };

  const twoFactorStatus = (page: Page) => page.getByTestId('two-factor-status').textContent();

  const answerSetupQuestions = async (page: Page) => {
    await page.getByRole('heading', { level: 1, name: t('signIn:twoFactorSetup.title') }).waitFor();
    await field(page, t('signIn:twoFactorSetup.question', { number: 1 })).fill(
      'Town you were born in?',
    );
    await field(page, t('signIn:twoFactorSetup.answer', { number: 1 })).fill('Sendai');
    await field(page, t('signIn:twoFactorSetup.question', { number: 2 })).fill(
      'Your first school?',
    );
    await field(page, t('signIn:twoFactorSetup.answer', { number: 2 })).fill('Midori');
    await page.getByRole('button', { name: t('common:actions.continue') }).click();
    await page.getByRole('img', { name: t('signIn:twoFactorSetup.qrAlt') }).waitFor();
  };

  it('activates from the e-mail, logs in with the security code, skips 2FA, logs out, sets up 2FA (cancelled once) and logs in with it', async () => {
    const admin = newAdministrator({ language });
    const opened = await client.openConsole([admin]);
    expect(opened.status).toBe(201);
    const mail = await client.activationMail(admin.email);
    const page = await openPage(language);

    // Journey 2: the link from the mail opens the registration form.
    await page.goto(`/activation/${mail.token}`);
    await page.getByRole('heading', { level: 1, name: t('signIn:activation.title') }).waitFor();
    await page.getByText(admin.email, { exact: false }).first().waitFor();
    await expectAccessible(page);
    await shot(page, 'sign-in-activation');

    const temporaryPassword = field(page, t('signIn:activation.temporaryPassword'));
    const password = field(page, t('signIn:activation.password'));
    await temporaryPassword.fill('wrong-temporary-1');
    await password.fill('short1');
    await field(page, t('signIn:activation.securityCode')).fill(SECURITY_CODE);
    await field(page, t('signIn:activation.securityQuestion')).fill(QUESTION);
    await field(page, t('signIn:activation.securityAnswer')).fill(ANSWER);
    await page.getByRole('button', { name: t('signIn:activation.submit') }).click();
    // A broken rule is shown under the password before anything is sent …
    await page.getByText(t('errors:rules.password_min_length')).waitFor();
    expect(await errorOf(page, password)).toBe(t('errors:rules.password_min_length'));
    await password.fill(PASSWORD);
    expect(await page.getByTestId('password-rules').locator('[data-met="false"]').count()).toBe(0);
    await page.getByRole('button', { name: t('signIn:activation.submit') }).click();
    // … and the server's verdict on the temporary password under its own field.
    await page.getByText(t('errors:rules.incorrect')).waitFor();
    expect(await errorOf(page, temporaryPassword)).toBe(t('errors:rules.incorrect'));
    await expectAccessible(page);
    await temporaryPassword.fill(mail.temporaryPassword);
    await page.getByRole('button', { name: t('signIn:activation.submit') }).click();
    await page.getByRole('heading', { level: 1, name: t('signIn:activation.doneTitle') }).waitFor();
    await expectAccessible(page);
    await page.getByRole('link', { name: t('signIn:activation.toLogin') }).click();
    await page
      .getByRole('heading', { level: 1, name: t('signIn:login.titles.credentials') })
      .waitFor();
    // The link has served its purpose: opened again, the page says so instead of a form.
    await page.goto(`/activation/${mail.token}`);
    await page.getByRole('alert').getByText(t('errors:codes.ACTIVATION_LINK_USED')).waitFor();
    expect(await page.getByRole('button', { name: t('signIn:activation.submit') }).count()).toBe(0);
    await expectAccessible(page);
    await page.getByRole('link', { name: t('signIn:activation.toLogin') }).click();

    // Journey 3: login → the two characters of the security code → the 2FA offer → skip.
    await page
      .getByRole('heading', { level: 1, name: t('signIn:login.titles.credentials') })
      .waitFor();
    await page.getByTestId('language-switch').waitFor();
    await expectAccessible(page);
    await shot(page, 'sign-in-login');
    const positions = await loginToSecondStep(page, admin.email, PASSWORD);
    await expectAccessible(page);
    await shot(page, 'sign-in-security-code');
    await typeSecurityCode(page, positions);
    await page
      .getByRole('heading', { level: 1, name: t('signIn:login.titles.two_factor_offer') })
      .waitFor();
    await expectAccessible(page);
    await page.getByRole('button', { name: t('signIn:offer.skip') }).click();
    await page.getByRole('navigation').waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    await logout(page);

    // Journey 4: the offer leads to the wizard; cancelled at step 2, the account is as before.
    await typeSecurityCode(page, await loginToSecondStep(page, admin.email, PASSWORD));
    await page.getByRole('button', { name: t('signIn:offer.setUp') }).click();
    await answerSetupQuestions(page);
    await page.getByTestId('two-factor-secret').waitFor();
    await expectAccessible(page);
    await shot(page, 'sign-in-2fa-qr');
    const cancelled = page.waitForResponse(
      (r) => r.request().method() === 'DELETE' && /\/api\/v1\/me\/2fa\/setup\//.test(r.url()),
    );
    await page.getByRole('button', { name: t('common:actions.cancel') }).click();
    expect((await cancelled).status()).toBe(204);
    await page.getByRole('heading', { level: 1, name: t('common:nav.account') }).waitFor();
    expect(await twoFactorStatus(page)).toBe(t('signIn:twoFactor.notSetUp'));
    await expectAccessible(page);
    const withoutTotp = await client.signIn({ email: admin.email, password: PASSWORD });
    expect(withoutTotp.twoFactor).toBe('not_set_up');

    // Then for real: questions → QR code and secret → a code from the app → recovery codes.
    await page.getByRole('link', { name: t('signIn:offer.setUp') }).click();
    await answerSetupQuestions(page);
    const secret = (await page.getByTestId('two-factor-secret').textContent()) ?? '';
    expect(await page.getByTestId('two-factor-uri').textContent()).toMatch(/^otpauth:\/\/totp\//);
    await page.getByRole('button', { name: t('common:actions.continue') }).click();
    await field(page, t('signIn:totp.code')).fill(totpAt(secret));
    await page
      .getByRole('button', { name: t('signIn:twoFactorSetup.verify'), exact: true })
      .click();
    await page.getByText(t('signIn:twoFactorSetup.codesOnce')).waitFor();
    const recoveryCodes = await page.getByTestId('recovery-codes').locator('li').allTextContents();
    expect(recoveryCodes).toHaveLength(10);
    await expectAccessible(page);
    await page.getByRole('button', { name: t('signIn:twoFactorSetup.finish') }).click();
    await page.getByRole('heading', { level: 1, name: t('common:nav.account') }).waitFor();
    await page.getByTestId('two-factor-status').getByText(t('common:states.enabled')).waitFor();
    await logout(page);

    // Logging in now takes the third step: a code of the app (ja), a recovery code (en).
    await typeSecurityCode(page, await loginToSecondStep(page, admin.email, PASSWORD));
    await page.getByRole('heading', { level: 1, name: t('signIn:login.titles.totp') }).waitFor();
    await expectAccessible(page);
    if (language === 'ja') {
      // The confirming code's time step is spent: the next one's code, as the app shows it soon.
      await field(page, t('signIn:totp.code')).fill(totpAt(secret, 1));
    } else {
      await page.getByRole('button', { name: t('signIn:totp.useRecoveryCode') }).click();
      await field(page, t('signIn:totp.recoveryCode')).fill(recoveryCodes[0]!);
    }
    await page.getByRole('button', { name: t('signIn:totp.submit') }).click();
    // Into the console (at the page logged out from, or the dashboard).
    await page.getByRole('navigation').waitFor();
    expect(new URL(page.url()).pathname).not.toBe('/login');
    expectCleanConsole(page);
  });

  it('shows the account with 2FA on, logs in with a recovery code, and turns 2FA off with the password and a code', async () => {
    const account = await register();
    const { accessToken: token } = await client.signIn(account);
    const { secret, recoveryCodes } = await client.enableTwoFactor(token);

    const page = await openPage(language);
    await page.goto('/account');
    await typeSecurityCode(page, await loginToSecondStep(page, account.email, account.password));
    await page.getByRole('heading', { level: 1, name: t('signIn:login.titles.totp') }).waitFor();
    await page.getByRole('button', { name: t('signIn:totp.useRecoveryCode') }).click();
    await field(page, t('signIn:totp.recoveryCode')).fill(recoveryCodes[0]!);
    await page.getByRole('button', { name: t('signIn:totp.submit') }).click();
    await page.getByRole('heading', { level: 1, name: t('common:nav.account') }).waitFor();
    await page.getByText(account.email).waitFor();
    expect(await twoFactorStatus(page)).toBe(t('common:states.enabled'));
    await expectAccessible(page);
    await shot(page, 'sign-in-account');

    await page.getByRole('button', { name: t('signIn:twoFactor.disable') }).click();
    const dialog = page.getByRole('dialog');
    await field(page, t('signIn:login.password')).fill('not-my-password-1');
    await field(page, t('signIn:totp.code')).fill(totpAt(secret, 1));
    await dialog.getByRole('button', { name: t('signIn:twoFactor.disable') }).click();
    await dialog.getByText(t('errors:codes.CREDENTIALS_INCORRECT')).waitFor();
    await expectAccessible(page);
    await field(page, t('signIn:login.password')).fill(account.password);
    await dialog.getByRole('button', { name: t('signIn:twoFactor.disable') }).click();
    await page.getByTestId('two-factor-status').getByText(t('signIn:twoFactor.notSetUp')).waitFor();
    expect(await client.signIn(account)).toMatchObject({ twoFactor: 'not_set_up' });
    expectCleanConsole(page);
  });

  it('turns a wrong security-code answer back to the first step, saying only that the login failed', async () => {
    const account = await register();
    const page = await openPage(language);
    await page.goto('/login');
    const positions = await loginToSecondStep(page, account.email, account.password);
    for (const position of positions) {
      await field(page, t('signIn:securityCode.position', { position })).fill('#');
    }
    await page.getByRole('button', { name: t('signIn:securityCode.submit'), exact: true }).click();
    await page
      .getByRole('heading', { level: 1, name: t('signIn:login.titles.credentials') })
      .waitFor();
    await page.getByText(t('errors:codes.LOGIN_FAILED')).waitFor();
    await expectAccessible(page);
    expectCleanConsole(page);
  });

  it('recovers a password through the security question and the e-mailed link', async () => {
    const account = await register();
    const page = await openPage(language);
    await page.goto('/login');
    await page.getByRole('link', { name: t('signIn:login.forgotPassword') }).click();
    await page.getByRole('heading', { level: 1, name: t('signIn:recovery.title') }).waitFor();
    await expectAccessible(page);
    const seen = system.smtp().messages.length;
    await field(page, t('signIn:recovery.email')).fill(account.email);
    await page.getByRole('button', { name: t('common:actions.continue') }).click();
    await page.getByTestId('security-question').getByText(QUESTION).waitFor();
    await field(page, t('signIn:recovery.answer')).fill(ANSWER);
    await page.getByRole('button', { name: t('signIn:recovery.send') }).click();
    await page.getByText(t('signIn:recovery.sent')).waitFor();
    await expectAccessible(page);

    const { path: link } = await client.resetMail(account.email, seen);
    await page.goto(link);
    await page.getByRole('heading', { level: 1, name: t('signIn:reset.title') }).waitFor();
    await field(page, t('signIn:reset.password')).fill(NEW_PASSWORD);
    await field(page, t('signIn:reset.confirmation')).fill(`${NEW_PASSWORD}x`);
    await page.getByRole('button', { name: t('signIn:reset.submit') }).click();
    await page.getByText(t('errors:rules.mismatch')).waitFor();
    await expectAccessible(page);
    await field(page, t('signIn:reset.confirmation')).fill(NEW_PASSWORD);
    await page.getByRole('button', { name: t('signIn:reset.submit') }).click();
    await page.getByText(t('signIn:reset.done')).waitFor();

    await typeSecurityCode(page, await loginToSecondStep(page, account.email, NEW_PASSWORD));
    await page.getByRole('button', { name: t('signIn:offer.skip') }).click();
    await page.getByRole('navigation').waitFor();
    expectCleanConsole(page);
  });

  it('renews an expired access token by itself, and returns to login when the session has ended', async () => {
    const account = await register();
    const page = await openPage(language);
    await page.goto('/account');
    // No session: the login page, which then returns to the page asked for.
    await typeSecurityCode(page, await loginToSecondStep(page, account.email, account.password));
    await page.getByRole('button', { name: t('signIn:offer.skip') }).click();
    await page.getByText(account.email).waitFor();
    expect(new URL(page.url()).pathname).toBe('/account');

    // An access token the gateway refuses: the console renews it with the refresh token.
    // Evaluated as text: the test's own TypeScript has no DOM.
    await page.evaluate(
      `sessionStorage.setItem('warden.session', JSON.stringify({ ...JSON.parse(sessionStorage.getItem('warden.session')), accessToken: 'garbage.not.a-token' }))`,
    );
    const renewed = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/refresh'));
    await page.reload();
    expect((await renewed).status()).toBe(200);
    await page.getByText(account.email).waitFor();
    const current = JSON.parse(
      await page.evaluate<string>(`sessionStorage.getItem('warden.session')`),
    ) as { accessToken: string };
    expect(current.accessToken).not.toBe('garbage.not.a-token');

    // The session ends elsewhere (here: logged out through the API): back to login, saying so.
    const loggedOut = await client.call('POST', '/api/v1/auth/logout', {
      token: current.accessToken,
    });
    expect(loggedOut.status).toBe(204);
    await page.reload();
    await page.getByText(t('common:session.expired')).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    await expectAccessible(page);
    // Logging in again returns to the page the session ended on.
    await typeSecurityCode(page, await loginToSecondStep(page, account.email, account.password));
    await page.getByRole('button', { name: t('signIn:offer.skip') }).click();
    await page.getByText(account.email).waitFor();
    expect(new URL(page.url()).pathname).toBe('/account');
    expectCleanConsole(page);
  });
});
