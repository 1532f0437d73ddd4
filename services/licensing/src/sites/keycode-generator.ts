import { issuableKeycodeFromBody, KEYCODE_ISSUE_ALPHABET, KEYCODE_LENGTH } from '@warden/contracts';
import { randomInt } from 'node:crypto';

/** A fresh keycode from the cryptographic random source (about 97 bits), without O or I. */
export function generateKeycode(): string {
  for (;;) {
    let body = '';
    for (let i = 0; i < KEYCODE_LENGTH - 1; i++)
      body += KEYCODE_ISSUE_ALPHABET[randomInt(KEYCODE_ISSUE_ALPHABET.length)];
    const keycode = issuableKeycodeFromBody(body);
    if (keycode !== null) return keycode;
  }
}
