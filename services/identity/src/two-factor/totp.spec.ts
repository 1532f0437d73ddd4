import { authenticator } from 'otplib';
import { matchTotp, newTotpSecret, otpauthUri } from './totp';

describe('TOTP as authenticator apps do it (RFC 6238: SHA-1, 6 digits, 30 s, ±1 step)', () => {
  const secret = newTotpSecret();
  const now = 1_800_000_015_000; // 15 s into a step
  const step = Math.floor(now / 30_000);
  const codeAt = (ms: number) => authenticator.clone({ epoch: ms }).generate(secret);

  it('matches the current step and one either side, naming the step', () => {
    expect(matchTotp(codeAt(now), secret, now)).toBe(step);
    expect(matchTotp(codeAt(now - 30_000), secret, now)).toBe(step - 1);
    expect(matchTotp(codeAt(now + 30_000), secret, now)).toBe(step + 1);
  });

  it('refuses two steps away', () => {
    expect(matchTotp(codeAt(now - 60_000), secret, now)).toBeNull();
    expect(matchTotp(codeAt(now + 60_000), secret, now)).toBeNull();
  });

  it('agrees with RFC 6238 test vector (SHA-1, T = 59 s)', () => {
    // RFC 6238 appendix B: ASCII "12345678901234567890" → 94287082 (8 digits); 6 digits: 287082.
    const rfcSecret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    expect(matchTotp('287082', rfcSecret, 59_000)).toBe(1);
  });

  it('writes an otpauth URI an app can scan', () => {
    expect(otpauthUri('a@example.com', secret)).toMatch(
      /^otpauth:\/\/totp\/Warden:a%40example\.com\?secret=[A-Z2-7]+&period=30&digits=6&algorithm=SHA1&issuer=Warden$/,
    );
  });
});
