import { type DevSecrets, generateDevSecrets } from '@warden/testing';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

const FIELDS = ['accessTokenSigningKey', 'accessTokenVerifyKey', 'secretsEncryptionKey'] as const;

/**
 * The secrets of `npm start` (token key pair, encryption key): generated the
 * first time into `file` (owner-only), read back on every later run, so what
 * one run encrypted or signed the next can still read.
 */
export function loadOrCreateDevSecrets(file: string): { secrets: DevSecrets; created: boolean } {
  if (!existsSync(file)) {
    const secrets = generateDevSecrets();
    // 'wx': never overwrite a file another run wrote meanwhile.
    writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    return { secrets, created: true };
  }
  chmodSync(file, 0o600);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    parsed = undefined;
  }
  if (!isDevSecrets(parsed)) {
    throw new Error(
      `${file} does not hold the secrets of npm start (${FIELDS.join(', ')}). Delete it to ` +
        'generate new ones; what the old ones encrypted (2FA secrets) can then not be read.',
    );
  }
  return { secrets: parsed, created: false };
}

function isDevSecrets(value: unknown): value is DevSecrets {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return FIELDS.every((field) => typeof record[field] === 'string' && record[field] !== '');
}
