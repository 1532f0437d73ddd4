import { randomInt } from 'node:crypto';
import {
  KEYCODE_ALPHABET,
  KEYCODE_ISSUE_ALPHABET,
  issuableKeycodeFromBody,
  keycodeCheckCharacter,
  keycodeFromBody,
  parseKeycode,
} from './keycode';

/** A keycode as issued now: no letter O or I. */
function randomKeycode(): string {
  for (;;) {
    const body = Array.from(
      { length: 19 },
      () => KEYCODE_ISSUE_ALPHABET[randomInt(KEYCODE_ISSUE_ALPHABET.length)],
    ).join('');
    const keycode = issuableKeycodeFromBody(body);
    if (keycode) return keycode;
  }
}

/** A keycode as issued before: any of the 36 characters. */
function randomLegacyKeycode(withLetter: 'O' | 'I'): string {
  for (;;) {
    const body = Array.from({ length: 19 }, () => KEYCODE_ALPHABET[randomInt(36)]).join('');
    const keycode = keycodeFromBody(withLetter + body.slice(1));
    if (keycode) return keycode;
  }
}

/** Confusable when read aloud: typing one for the other is not a typo. */
const SAME_WHEN_READ_ALOUD = new Set(['0O', 'O0', '1I', 'I1']);

const compact = (keycode: string): string => keycode.replace(/-/g, '');

describe('keycode', () => {
  it('has the 5×4 format with a valid check character', () => {
    const sut = randomKeycode();

    expect(sut).toMatch(/^[A-Z0-9]{4}(-[A-Z0-9]{4}){4}$/);
    expect(parseKeycode(sut)).toEqual({ ok: true, keycode: sut, candidates: [sut] });
  });

  it('normalises lower case, missing dashes and spaces', () => {
    const sut = randomKeycode();

    expect(parseKeycode(compact(sut).toLowerCase())).toMatchObject({ ok: true, keycode: sut });
    expect(parseKeycode(` ${sut.replace(/-/g, ' ')} `)).toMatchObject({ ok: true, keycode: sut });
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
          if (SAME_WHEN_READ_ALOUD.has(`${chars[position]}${replacement}`)) continue;
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

  it('issues no letter O or I, so none can be misread as 0 or 1', () => {
    for (let n = 0; n < 2_000; n++) expect(randomKeycode()).not.toMatch(/[OI]/);
  });

  it('reads a typed O as 0 and I as 1', () => {
    for (let n = 0; n < 200; n++) {
      const sut = randomKeycode();
      const misread = sut.replace(/0/g, 'O').replace(/1/g, 'I');

      const parsed = parseKeycode(misread);

      // As typed, it may also pass the check by chance (1 in 37): both readings are looked up.
      expect(parsed.ok && parsed.candidates).toContain(sut);
    }
  });

  it('still accepts a keycode issued before, with the letters O or I, as typed', () => {
    for (const letter of ['O', 'I'] as const) {
      const legacy = randomLegacyKeycode(letter);

      const sut = parseKeycode(legacy);

      expect(sut).toMatchObject({ ok: true, keycode: legacy });
      expect(sut.ok && sut.candidates[0]).toBe(legacy);
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
