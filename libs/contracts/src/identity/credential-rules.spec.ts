import { passwordRulesBroken, securityCodeRulesBroken } from './credential-rules';

describe('password rules (DESIGN §3, journey 2)', () => {
  it.each([
    ['abcdef123', []],
    ['Abcdef!12 3', []],
    ['abcde123', ['min_length', 'min_letters']],
    ['abcdefghij12', ['min_digits']],
    ['abcdef<123', ['forbidden_characters']],
    ['abcdef>123', ['forbidden_characters']],
    ['123456789', ['min_letters']],
    ['パスワードです123', []],
  ])('%s breaks %j', (password, rules) => {
    expect(passwordRulesBroken(password)).toEqual(rules);
  });

  it('is not the e-mail, whatever the case', () => {
    expect(passwordRulesBroken('Aiko123@Example.com', 'aiko123@example.com')).toEqual([
      'equals_email',
    ]);
  });

  it('counts characters, not UTF-16 units', () => {
    // 9 characters though 10 UTF-16 units: long enough; the rule it breaks is the digits.
    expect(passwordRulesBroken('abcdef12😀')).toEqual(['min_digits']);
    expect(passwordRulesBroken('abcde123😀')).toEqual(['min_letters']);
  });
});

describe('security code rules', () => {
  it.each([
    ['123456', []],
    ['12345', ['min_length']],
    ['12345<', ['forbidden_characters']],
  ])('%s breaks %j', (code, rules) => {
    expect(securityCodeRulesBroken(code)).toEqual(rules);
  });
});
