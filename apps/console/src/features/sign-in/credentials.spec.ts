import { activationSchema, newPasswordSchema, passwordChecklist } from './credentials';

const issuesOf = (result: { success: boolean; error?: { issues: unknown[] } }) =>
  (result.error?.issues ?? []).map((issue) => {
    const { path, params } = issue as { path: string[]; params?: { rule?: string } };
    return [path.join('.'), params?.rule];
  });

describe('the password checklist', () => {
  it('ticks off each rule the password meets', () => {
    expect(passwordChecklist('abc12', 'a@example.jp')).toEqual([
      { rule: 'min_length', met: false },
      { rule: 'min_letters', met: false },
      { rule: 'min_digits', met: false },
      { rule: 'forbidden_characters', met: true },
      { rule: 'equals_email', met: true },
    ]);
    expect(passwordChecklist('horse1battery23', 'a@example.jp').every((r) => r.met)).toBe(true);
  });

  it('refuses < and >, and the e-mail address itself in any case', () => {
    const broken = (password: string) =>
      passwordChecklist(password, 'Hanako123@Example.jp')
        .filter((r) => !r.met)
        .map((r) => r.rule);
    expect(broken('abcdef123<')).toEqual(['forbidden_characters']);
    expect(broken('hanako123@example.jp')).toEqual(['equals_email']);
  });

  it('leaves out "not the e-mail" where the address is unknown (the reset page)', () => {
    expect(passwordChecklist('x').map((r) => r.rule)).not.toContain('equals_email');
  });
});

describe('the registration form’s rules', () => {
  const valid = {
    temporaryPassword: 'Tmp-123',
    password: 'correct1horse2battery3',
    securityCode: 'k7Q9zX2m',
    securityQuestion: 'Name of your first pet?',
    securityAnswer: 'Pochi',
  };

  it('passes a form the API would take', () => {
    expect(activationSchema('a@example.jp').safeParse(valid).success).toBe(true);
  });

  it('names the first broken rule of the password and the security code as the API does', () => {
    const result = activationSchema('a@example.jp').safeParse({
      ...valid,
      password: 'short1',
      securityCode: 'abc',
    });
    expect(issuesOf(result)).toEqual([
      ['password', 'password_min_length'],
      ['securityCode', 'security_code_min_length'],
    ]);
  });
});

describe('a new password typed twice', () => {
  it('must match its confirmation', () => {
    const result = newPasswordSchema.safeParse({
      password: 'staple4paper5clip6',
      confirmation: 'staple4paper5clip7',
    });
    expect(issuesOf(result)).toEqual([['confirmation', 'mismatch']]);
  });

  it('must meet the rules', () => {
    const result = newPasswordSchema.safeParse({
      password: 'abcdefghij',
      confirmation: 'abcdefghij',
    });
    expect(issuesOf(result)).toEqual([['password', 'min_digits']]);
  });
});
