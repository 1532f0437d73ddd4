import { hash, verify } from '@node-rs/argon2';
import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';

/**
 * argon2id with OWASP's first recommended setting (19 MiB, 2 passes, 1 lane):
 * about 20–40 ms a hash on these machines, memory-hard against GPU guessing.
 * Parameters live in each hash, so raising them later keeps old hashes valid.
 */
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Passwords, security answers and recovery codes: stored only as argon2id hashes. */
@Injectable()
export class PasswordHasher {
  /** A hash of a random secret: verified against when there is no account, so time tells nothing. */
  private readonly decoy = hash(randomBytes(32).toString('base64'), OPTIONS);

  hash(secret: string): Promise<string> {
    return hash(secret, OPTIONS);
  }

  /** False for a wrong secret and for a malformed or missing hash (never throws on those). */
  async verify(storedHash: string | null | undefined, secret: string): Promise<boolean> {
    if (!storedHash) {
      await this.spendVerifyTime(secret);
      return false;
    }
    try {
      return await verify(storedHash, secret);
    } catch {
      return false;
    }
  }

  /** The work of one verification with no account behind it: unknown logins cost what known ones do. */
  async spendVerifyTime(secret: string): Promise<void> {
    await verify(await this.decoy, secret).catch(() => false);
  }
}
