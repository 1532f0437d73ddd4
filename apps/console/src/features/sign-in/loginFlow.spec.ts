import type { SessionTokens } from '../../auth/session';
import {
  askedPositions,
  destinationAfterLogin,
  isTotpChallenge,
  securityCodeCharacters,
  stepAfterSession,
} from './loginFlow';

const tokens = (twoFactor: SessionTokens['twoFactor']): SessionTokens => ({
  accessToken: 'a',
  refreshToken: 'r',
  expiresIn: 900,
  twoFactor,
});

describe('the login steps', () => {
  it('joins the two characters in the order the positions were asked', () => {
    expect(securityCodeCharacters('Q', 'k')).toBe('Qk');
    expect(securityCodeCharacters(' z ', 'XY')).toBe('zX');
  });

  it('keeps the positions of the challenge in their order', () => {
    expect(askedPositions([6, 1])).toEqual([6, 1]);
    expect(() => askedPositions([3])).toThrow();
  });

  it('tells the TOTP challenge from the session', () => {
    expect(isTotpChallenge({ loginId: 'x'.repeat(20), step: 'totp' })).toBe(true);
    expect(isTotpChallenge(tokens('enabled'))).toBe(false);
  });

  it('offers 2FA only to a session without it', () => {
    expect(stepAfterSession(tokens('not_set_up'))).toEqual({ step: 'two_factor_offer' });
    expect(stepAfterSession(tokens('enabled'))).toBe('done');
  });

  it('returns to the page the administrator came from, never elsewhere', () => {
    expect(destinationAfterLogin('/endpoints?status=infected')).toBe('/endpoints?status=infected');
    expect(destinationAfterLogin(undefined)).toBe('/');
    expect(destinationAfterLogin('//evil.example')).toBe('/');
    expect(destinationAfterLogin('https://evil.example/')).toBe('/');
    expect(destinationAfterLogin('/login')).toBe('/');
  });
});
