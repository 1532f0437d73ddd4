import { bearerTokenFrom } from './bearer-token';

describe('bearerTokenFrom', () => {
  const token = 'wdn_ops_abcdefghijklmnopqrstuvwxyz-0123456789';

  it.each([
    [`Bearer ${token}`, token],
    [`bearer ${token}`, token],
    [`Bearer   ${token} `, token],
  ])('reads %j', (authorization, expected) => {
    const sut = bearerTokenFrom({ authorization });

    expect(sut).toBe(expected);
  });

  it.each([
    ['no header', undefined],
    ['another scheme', `Basic ${token}`],
    ['two tokens', `Bearer ${token} ${token}`],
    ['no token', 'Bearer '],
    ['a control character', `Bearer ${token}\u0000`],
    ['an oversized token', `Bearer ${'a'.repeat(600)}`],
  ])('refuses %s', (_, authorization) => {
    expect(bearerTokenFrom({ authorization })).toBeNull();
  });

  it('takes a longer token (a JWT) only where the caller allows one', () => {
    const jwt = `${'a'.repeat(40)}.${'b'.repeat(900)}.${'c'.repeat(86)}`;

    expect(bearerTokenFrom({ authorization: `Bearer ${jwt}` })).toBeNull();
    expect(bearerTokenFrom({ authorization: `Bearer ${jwt}` }, 8_192)).toBe(jwt);
    expect(bearerTokenFrom({ authorization: `Bearer ${'a'.repeat(8_193)}` }, 8_192)).toBeNull();
  });
});
