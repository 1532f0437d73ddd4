import { generateKeyPairSync, randomBytes } from 'node:crypto';

/**
 * The secrets a Warden system needs that are not operator tokens: the key
 * pair of console access tokens (identity signs, the gateway verifies) and the
 * key identity encrypts security codes and TOTP secrets with. Generated for
 * each test run, and once per `.data` folder by `npm start`; in production
 * they come from your secret store, and the services refuse to start without.
 */
export interface DevSecrets {
  /** identity's `ACCESS_TOKEN_SIGNING_KEY`: an EC P-256 private key, PKCS#8 PEM. */
  accessTokenSigningKey: string;
  /** the gateway's `ACCESS_TOKEN_VERIFY_KEY`: the matching public key, SPKI PEM. */
  accessTokenVerifyKey: string;
  /** identity's `SECRETS_ENCRYPTION_KEY`: 32 random bytes, base64. */
  secretsEncryptionKey: string;
}

export function generateDevSecrets(): DevSecrets {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    accessTokenSigningKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    accessTokenVerifyKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    secretsEncryptionKey: randomBytes(32).toString('base64'),
  };
}
