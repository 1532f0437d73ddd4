import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { ConfigError } from '@warden/platform';
import { loadIdentityConfig } from './config';

const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const signingKey = p256.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const encryptionKey = randomBytes(32).toString('base64');

function errorsOf(env: Record<string, string>): string[] {
  try {
    loadIdentityConfig(env);
    return [];
  } catch (error) {
    return error instanceof ConfigError ? [...error.problems] : [String(error)];
  }
}

describe('identity configuration', () => {
  it('takes a P-256 private key, also written on one line with \\n', () => {
    const sut = loadIdentityConfig({
      ACCESS_TOKEN_SIGNING_KEY: signingKey.replace(/\n/g, '\\n'),
      SECRETS_ENCRYPTION_KEY: encryptionKey,
    });
    expect(sut.accessTokenSigningKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(sut.accessTokenTtlSeconds).toBe(900);
    expect(sut.loginMaxFailures).toBe(5);
  });

  it('refuses to start without its keys, naming each', () => {
    const problems = errorsOf({});
    expect(problems.some((p) => p.startsWith('ACCESS_TOKEN_SIGNING_KEY'))).toBe(true);
    expect(problems.some((p) => p.startsWith('SECRETS_ENCRYPTION_KEY'))).toBe(true);
  });

  it('refuses a public key, another curve, a short key and a token lifetime over 15 minutes', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const problems = [
      ...errorsOf({
        ACCESS_TOKEN_SIGNING_KEY: p256.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        SECRETS_ENCRYPTION_KEY: encryptionKey,
      }),
      ...errorsOf({
        ACCESS_TOKEN_SIGNING_KEY: rsa.privateKey
          .export({ type: 'pkcs8', format: 'pem' })
          .toString(),
        SECRETS_ENCRYPTION_KEY: randomBytes(16).toString('base64'),
        ACCESS_TOKEN_TTL_SECONDS: '3600',
      }),
    ];
    expect(problems.filter((p) => p.startsWith('ACCESS_TOKEN_SIGNING_KEY'))).toHaveLength(2);
    expect(problems.some((p) => p.startsWith('SECRETS_ENCRYPTION_KEY'))).toBe(true);
    expect(problems.some((p) => p.startsWith('ACCESS_TOKEN_TTL_SECONDS'))).toBe(true);
  });
});
