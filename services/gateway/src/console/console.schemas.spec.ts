import { createConsoleBody } from '../ops/ops.schemas';
import {
  activationBody,
  changePasswordBody,
  loginBody,
  refreshBody,
  startTwoFactorSetupBody,
  totpBody,
} from './console.schemas';
import { sessionIdOfRefreshToken } from './sign-in.controller';

const issuesOf = (result: { success: boolean; error?: { issues: { path: unknown[] }[] } }) =>
  (result.error?.issues ?? []).map((issue) => issue.path.join('.'));

describe('console API bodies', () => {
  it('refuse a property they do not know, at any depth, rather than drop it', () => {
    expect(
      issuesOf(loginBody.safeParse({ login: 'a@example.jp', password: 'x', remember: true })),
    ).toEqual(['']);
    expect(refreshBody.safeParse({ refreshToken: 'x', accessToken: 'y' }).success).toBe(false);
    expect(
      startTwoFactorSetupBody.safeParse({
        answers: [
          { question: 'First pet?', answer: 'Pochi' },
          { question: 'First school?', answer: 'Sakura', hint: 'elementary' },
        ],
      }).success,
    ).toBe(false);
  });

  it('take no caller, console or path value from the body', () => {
    const caller = { actor: { type: 'admin', id: 'x' } };

    expect(loginBody.safeParse({ login: 'a@example.jp', password: 'x', caller }).success).toBe(
      false,
    );
    expect(
      activationBody.safeParse({
        token: 'A'.repeat(43),
        temporaryPassword: 'Abcd-2345-efgh',
        password: 'correct horse 123',
        securityCode: 'sakura77',
        securityQuestion: 'First pet?',
        securityAnswer: 'Pochi',
      }).success,
    ).toBe(false);
  });

  describe('the TOTP step', () => {
    it.each([
      ['a code', { code: '123456' }],
      ['a recovery code', { recoveryCode: 'abcd-efgh-2345' }],
    ])('takes %s', (_, body) => {
      expect(totpBody.safeParse(body).success).toBe(true);
    });

    it.each([
      ['neither', {}],
      ['both', { code: '123456', recoveryCode: 'abcd-efgh-2345' }],
    ])('refuses %s with the rule exactly_one', (_, body) => {
      const result = totpBody.safeParse(body);

      expect(result.success).toBe(false);
      expect(result.error?.issues).toEqual([
        expect.objectContaining({ path: [], params: { rule: 'exactly_one' } }),
      ]);
    });

    it('refuses a code that is not 6 digits', () => {
      expect(issuesOf(totpBody.safeParse({ code: '12345' }))).toEqual(['code']);
    });
  });

  it('keeps the contract rule of two different security questions', () => {
    const result = startTwoFactorSetupBody.safeParse({
      answers: [
        { question: 'First pet?', answer: 'Pochi' },
        { question: ' first PET? ', answer: 'Tama' },
      ],
    });

    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('two different questions');
  });

  it('leaves the password rules to identity, which names each broken one', () => {
    expect(
      changePasswordBody.safeParse({ currentPassword: 'old', newPassword: 'short' }).success,
    ).toBe(true);
  });
});

describe('opening a console (ops API)', () => {
  const opened = { name: 'Example KK', kind: 'trial', site: { name: 'HQ', seats: 5 } };
  const admin = { email: 'it@example.jp', firstName: 'Hanako', lastName: 'Yamada' };

  it('needs one or two initial administrators', () => {
    expect(issuesOf(createConsoleBody.safeParse(opened))).toEqual(['administrators']);
    expect(createConsoleBody.safeParse({ ...opened, administrators: [] }).success).toBe(false);
    expect(createConsoleBody.safeParse({ ...opened, administrators: [admin] }).success).toBe(true);
    expect(
      createConsoleBody.safeParse({
        ...opened,
        administrators: [admin, { ...admin, email: 'support@example.jp', language: 'en' }],
      }).success,
    ).toBe(true);
    expect(
      createConsoleBody.safeParse({ ...opened, administrators: [admin, admin, admin] }).success,
    ).toBe(false);
  });

  it('refuses an unknown administrator property, and a phone without 6 digits', () => {
    expect(
      issuesOf(
        createConsoleBody.safeParse({ ...opened, administrators: [{ ...admin, role: 'x' }] }),
      ),
    ).toEqual(['administrators.0']);
    expect(
      issuesOf(
        createConsoleBody.safeParse({
          ...opened,
          administrators: [{ ...admin, phone: '((((((' }],
        }),
      ),
    ).toEqual(['administrators.0.phone']);
  });
});

describe('sessionIdOfRefreshToken', () => {
  it('reads the session of `<session id>.<secret>`, in lower case', () => {
    expect(sessionIdOfRefreshToken('0E6A3C52-0B1D-4F55-9C3B-7F9E2A4D8C11.c2VjcmV0')).toBe(
      '0e6a3c52-0b1d-4f55-9c3b-7f9e2a4d8c11',
    );
  });

  it.each(['no-dot-here', 'not-a-uuid.secret', '.secret', ''])('reads nothing in %j', (token) => {
    expect(sessionIdOfRefreshToken(token)).toBeNull();
  });
});
