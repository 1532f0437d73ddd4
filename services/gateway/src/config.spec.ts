import { ConfigError } from '@warden/platform';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadGatewayConfig } from './config';
import { hashOperatorToken } from './auth/operator-tokens';

describe('gateway config', () => {
  const token = 'a-long-enough-operator-token-0001';

  it('keeps only hashes of the operator tokens and removes them from the environment', () => {
    const env: Record<string, string | undefined> = { OPS_API_TOKENS: ` ${token} ,, ` };

    const sut = loadGatewayConfig(env);

    expect(sut.opsTokenHashes).toEqual([hashOperatorToken(token)]);
    expect(JSON.stringify(sut)).not.toContain(token);
    expect(env['OPS_API_TOKENS']).toBeUndefined();
  });

  it('refuses short operator tokens, naming the variable', () => {
    expect(() => loadGatewayConfig({ OPS_API_TOKENS: 'short' })).toThrow(ConfigError);
    expect(() => loadGatewayConfig({ OPS_API_TOKENS: 'short' })).toThrow(
      /OPS_API_TOKENS: every token/,
    );
  });

  it('accepts operator tokens as SHA-256 hashes, so no token need be in any environment', () => {
    const hex = hashOperatorToken(token).toString('hex');

    const sut = loadGatewayConfig({ OPS_API_TOKEN_HASHES: ` ${hex.toUpperCase()} ,` });

    expect(sut.opsTokenHashes).toEqual([hashOperatorToken(token)]);
    expect(() => loadGatewayConfig({ OPS_API_TOKEN_HASHES: 'abc' })).toThrow(
      /OPS_API_TOKEN_HASHES: every entry must be a SHA-256/,
    );
  });

  it('reads operator tokens from a file, one per line or comma-separated, skipping comments', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gateway-config-')), 'ops-tokens');
    writeFileSync(file, `# operators\n${token}\n\nanother-long-operator-token-0002,\n`, {
      mode: 0o600,
    });

    const sut = loadGatewayConfig({ OPS_API_TOKENS_FILE: file, OPS_API_TOKENS: token });

    expect(sut.opsTokenHashes).toEqual([
      hashOperatorToken(token),
      hashOperatorToken('another-long-operator-token-0002'),
    ]);
    expect(() => loadGatewayConfig({ OPS_API_TOKENS_FILE: `${file}.missing` })).toThrow(
      /OPS_API_TOKENS_FILE: cannot read .* \(ENOENT\)/,
    );
  });

  it('has rate limits and a Redis for them, with defaults', () => {
    const sut = loadGatewayConfig({});

    expect(sut.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(sut.rateLimits).toEqual({
      windowMs: 60_000,
      opsPerToken: 1_200,
      publicPerIp: 600,
      authFailuresPerIp: 20,
    });
    expect(loadGatewayConfig({ RATE_LIMIT_AUTH_FAILURES: '5' }).rateLimits.authFailuresPerIp).toBe(
      5,
    );
    expect(() => loadGatewayConfig({ RATE_LIMIT_OPS: '0' })).toThrow(/RATE_LIMIT_OPS: /);
  });

  it('trusts no proxy unless told', () => {
    expect(loadGatewayConfig({}).trustProxy).toBe(false);
    expect(loadGatewayConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadGatewayConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
    ]);
  });

  it('rejects a port out of range', () => {
    expect(() => loadGatewayConfig({ PORT: '70000' })).toThrow(/PORT: /);
  });
});
