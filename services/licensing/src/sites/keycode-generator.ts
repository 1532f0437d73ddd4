import { KEYCODE_ALPHABET, KEYCODE_LENGTH, keycodeFromBody } from '@warden/contracts';
import { randomInt } from 'node:crypto';

/** A fresh keycode from the cryptographic random source (about 98 bits). */
export function generateKeycode(): string {
  for (;;) {
    let body = '';
    for (let i = 0; i < KEYCODE_LENGTH - 1; i++)
      body += KEYCODE_ALPHABET[randomInt(KEYCODE_ALPHABET.length)];
    const keycode = keycodeFromBody(body);
    if (keycode !== null) return keycode;
  }
}
