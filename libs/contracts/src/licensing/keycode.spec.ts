import { randomInt } from 'node:crypto';
import { KEYCODE_ALPHABET, keycodeCheckCharacter, keycodeFromBody, parseKeycode } from './keycode';

function randomKeycode(): string {
  for (;;) {
    const body = Array.from({ length: 19 }, () => KEYCODE_ALPHABET[randomInt(36)]).join('');
    const keycode = keycodeFromBody(body);
    if (keycode) return keycode;
  }
}

const compact = (keycode: string): string => keycode.replace(/-/g, '');

describe('keycode', () => {
  it('has the 5×4 format with a valid check character', () => {
    const sut = randomKeycode();

    expect(sut).toMatch(/^[A-Z0-9]{4}(-[A-Z0-9]{4}){4}$/);
    expect(parseKeycode(sut)).toEqual({ ok: true, keycode: sut });
  });

  it('normalises lower case, missing dashes and spaces', () => {
    const sut = randomKeycode();

    expect(parseKeycode(compact(sut).toLowerCase())).toEqual({ ok: true, keycode: sut });
    expect(parseKeycode(` ${sut.replace(/-/g, ' ')} `)).toEqual({ ok: true, keycode: sut });
  });

  it.each([
    '',
    'ABCD',
    'ABCD-EFGH-IJKL-MNOP-QRST-U',
    'ABCD-EFGH-IJKL-MNOP-QRS!',
    'ÄBCD-EFGH-IJKL-MNOP-QRST',
  ])('rejects %j as malformed', (input) => {
    expect(parseKeycode(input)).toEqual({ ok: false, reason: 'format' });
  });

  it('rejects every single mistyped character', () => {
    for (let n = 0; n < 20; n++) {
      const chars = compact(randomKeycode()).split('');
      for (let position = 0; position < 20; position++) {
        for (const replacement of KEYCODE_ALPHABET) {
          if (replacement === chars[position]) continue;
          const typo = [...chars];
          typo[position] = replacement;
          expect(parseKeycode(typo.join(''))).toEqual({ ok: false, reason: 'check_character' });
        }
      }
    }
  });

  it('rejects every swap of two different neighbours', () => {
    for (let n = 0; n < 200; n++) {
      const chars = compact(randomKeycode()).split('');
      for (let position = 0; position < 19; position++) {
        if (chars[position] === chars[position + 1]) continue;
        const swapped = [...chars];
        [swapped[position], swapped[position + 1]] = [swapped[position + 1]!, swapped[position]!];
        expect(parseKeycode(swapped.join(''))).toEqual({ ok: false, reason: 'check_character' });
      }
    }
  });

  it('computes known check characters', () => {
    // "B" then eighteen "A": 20·1 = 20, check value 37 − 20 = 17 → "R".
    expect(keycodeCheckCharacter('B' + 'A'.repeat(18))).toBe('R');
    // Eighteen "A" then "B": 2·1 = 2, check value 35 → "9".
    expect(keycodeCheckCharacter('A'.repeat(18) + 'B')).toBe('9');
    // "Z" (25) at weight 3: 75 ≡ 1, check value 36 has no character → draw again.
    expect(keycodeFromBody('A'.repeat(17) + 'ZA')).toBeNull();
  });
});
