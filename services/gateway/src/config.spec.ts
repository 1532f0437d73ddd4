import { ConfigError } from '@warden/platform';
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
