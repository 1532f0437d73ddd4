import { ConfigError } from '@warden/platform';
import { generateDevSecrets } from '@warden/testing';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadGatewayConfig } from './config';
import { hashOperatorToken } from './auth/operator-tokens';

const { accessTokenVerifyKey, accessTokenSigningKey } = generateDevSecrets();

/** The variables the gateway cannot start without, plus `env`. */
const required = (
  env: Record<string, string | undefined> = {},
): Record<string, string | undefined> => ({
  ACCESS_TOKEN_VERIFY_KEY: accessTokenVerifyKey,
  ...env,
});

describe('gateway config', () => {
  const token = 'a-long-enough-operator-token-0001';

  it('keeps only hashes of the operator tokens and removes them from the environment', () => {
    const env = required({ OPS_API_TOKENS: ` ${token} ,, ` });

    const sut = loadGatewayConfig(env);

    expect(sut.opsTokenHashes).toEqual([hashOperatorToken(token)]);
    expect(JSON.stringify(sut)).not.toContain(token);
    expect(env['OPS_API_TOKENS']).toBeUndefined();
  });

  it('refuses short operator tokens, naming the variable', () => {
    expect(() => loadGatewayConfig(required({ OPS_API_TOKENS: 'short' }))).toThrow(ConfigError);
    expect(() => loadGatewayConfig(required({ OPS_API_TOKENS: 'short' }))).toThrow(
      /OPS_API_TOKENS: every token/,
    );
  });

  it('accepts operator tokens as SHA-256 hashes, so no token need be in any environment', () => {
    const hex = hashOperatorToken(token).toString('hex');

    const sut = loadGatewayConfig(required({ OPS_API_TOKEN_HASHES: ` ${hex.toUpperCase()} ,` }));

    expect(sut.opsTokenHashes).toEqual([hashOperatorToken(token)]);
    expect(() => loadGatewayConfig(required({ OPS_API_TOKEN_HASHES: 'abc' }))).toThrow(
      /OPS_API_TOKEN_HASHES: every entry must be a SHA-256/,
    );
  });

  it('reads operator tokens from a file, one per line or comma-separated, skipping comments', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gateway-config-')), 'ops-tokens');
    writeFileSync(file, `# operators\n${token}\n\nanother-long-operator-token-0002,\n`, {
      mode: 0o600,
    });

    const sut = loadGatewayConfig(required({ OPS_API_TOKENS_FILE: file, OPS_API_TOKENS: token }));

    expect(sut.opsTokenHashes).toEqual([
      hashOperatorToken(token),
      hashOperatorToken('another-long-operator-token-0002'),
    ]);
    expect(() => loadGatewayConfig(required({ OPS_API_TOKENS_FILE: `${file}.missing` }))).toThrow(
      /OPS_API_TOKENS_FILE: cannot read .* \(ENOENT\)/,
    );
  });

  it('has rate limits and a Redis for them, with defaults', () => {
    const sut = loadGatewayConfig(required());

    expect(sut.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(sut.rateLimits).toEqual({
      windowMs: 60_000,
      opsPerToken: 1_200,
      publicPerIp: 600,
      authFailuresPerIp: 20,
      signInPerIp: 30,
    });
    expect(
      loadGatewayConfig(required({ RATE_LIMIT_AUTH_FAILURES: '5' })).rateLimits.authFailuresPerIp,
    ).toBe(5);
    expect(() => loadGatewayConfig(required({ RATE_LIMIT_OPS: '0' }))).toThrow(/RATE_LIMIT_OPS: /);
  });

  it('trusts no proxy unless told', () => {
    expect(loadGatewayConfig(required()).trustProxy).toBe(false);
    expect(loadGatewayConfig(required({ TRUST_PROXY: 'true' })).trustProxy).toBe(true);
    expect(
      loadGatewayConfig(required({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' })).trustProxy,
    ).toEqual(['10.0.0.0/8', '127.0.0.1']);
  });

  it('rejects a port out of range', () => {
    expect(() => loadGatewayConfig(required({ PORT: '70000' }))).toThrow(/PORT: /);
  });

  describe('ACCESS_TOKEN_VERIFY_KEY', () => {
    it('is required, and named when missing', () => {
      expect(() => loadGatewayConfig({})).toThrow(ConfigError);
      expect(() => loadGatewayConfig({})).toThrow(/ACCESS_TOKEN_VERIFY_KEY: required/);
    });

    it('takes an EC P-256 public key in PEM, also with its line breaks written \\n', () => {
      const oneLine = accessTokenVerifyKey.trim().replace(/\n/g, '\\n');

      const sut = loadGatewayConfig(required({ ACCESS_TOKEN_VERIFY_KEY: oneLine }));

      expect(sut.accessTokenVerifyKey.asymmetricKeyType).toBe('ec');
      expect(sut.accessTokenVerifyKey.type).toBe('public');
      expect(
        sut.accessTokenVerifyKey.export({ type: 'spki', format: 'pem' }).toString().trim(),
      ).toBe(accessTokenVerifyKey.trim());
    });

    it.each([
      ['not a key', 'hello'],
      ['the private key', accessTokenSigningKey],
      [
        'an RSA key',
        generateKeyPairSync('rsa', { modulusLength: 2048 })
          .publicKey.export({ type: 'spki', format: 'pem' })
          .toString(),
      ],
      [
        'a key on another curve',
        generateKeyPairSync('ec', { namedCurve: 'secp384r1' })
          .publicKey.export({ type: 'spki', format: 'pem' })
          .toString(),
      ],
    ])('refuses %s, naming the variable', (_, key) => {
      expect(() => loadGatewayConfig({ ACCESS_TOKEN_VERIFY_KEY: key })).toThrow(
        /ACCESS_TOKEN_VERIFY_KEY: must be an EC P-256 public key/,
      );
    });
  });

  it('has a sign-in limit per IP, stricter than the public one', () => {
    expect(loadGatewayConfig(required({ RATE_LIMIT_SIGN_IN: '5' })).rateLimits.signInPerIp).toBe(5);
    expect(() => loadGatewayConfig(required({ RATE_LIMIT_SIGN_IN: '0' }))).toThrow(
      /RATE_LIMIT_SIGN_IN: /,
    );
  });
});
