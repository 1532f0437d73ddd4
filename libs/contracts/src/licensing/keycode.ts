/**
 * Site keycodes: 20 characters A-Z0-9 in five dash-joined groups of four; the
 * last character is a check character so a typo is rejected before any lookup.
 *
 * Check: with character values v (A=0 … 9=35) and weights 20, 19, …, 1, a
 * keycode is valid when Σ wᵢ·vᵢ ≡ 0 (mod 37). Because 37 is prime and every
 * weight and every neighbour difference of weights is non-zero mod 37, every
 * single mistyped character and every swap of two different neighbours changes
 * the sum, so both are always caught. (ISO 7064 MOD 37,36 misses some swaps.)
 * A body whose check value would be 36 has no character: generators draw again.
 *
 * Keycodes are read aloud over the phone and typed from paper, where O and 0,
 * I and 1 are confused. New keycodes use neither letter (their check
 * character neither), and input reads a typed O as 0 and I as 1. Keycodes
 * issued before may hold those letters; they are still accepted as typed.
 *
 * Pure functions, shared by the licensing service (generation) and the gateway
 * and agents (early rejection).
 */
export const KEYCODE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** What new keycodes are drawn from: the alphabet without the letters O and I. */
export const KEYCODE_ISSUE_ALPHABET = KEYCODE_ALPHABET.replace(/[OI]/g, '');
export const KEYCODE_LENGTH = 20;

export type KeycodeParseResult =
  | {
      ok: true;
      /** The canonical form to look up first (same as `candidates[0]`). */
      keycode: string;
      /**
       * Every reading of the input with a valid check character: as typed, then
       * with O read as 0 and I as 1 when that differs. Look them up in order.
       */
      candidates: string[];
    }
  | { ok: false; reason: 'format' | 'check_character' };

const READ_ALOUD: Readonly<Record<string, string>> = { O: '0', I: '1' };

const MODULUS = 37;

function weightedSum(chars: string): number {
  let sum = 0;
  for (let i = 0; i < chars.length; i++) {
    const value = KEYCODE_ALPHABET.indexOf(chars[i]!);
    if (value < 0) throw new Error(`not a keycode character: ${chars[i]}`);
    sum += (KEYCODE_LENGTH - i) * value;
  }
  return sum % MODULUS;
}

/** The check character for a 19-character body, or null when its value would be 36. */
export function keycodeCheckCharacter(body: string): string | null {
  const value = (MODULUS - weightedSum(body)) % MODULUS;
  return value < KEYCODE_ALPHABET.length ? KEYCODE_ALPHABET[value]! : null;
}

/** `ABCD1234…` (20 chars) → `ABCD-1234-…`. */
export function formatKeycode(compact: string): string {
  return compact.match(/.{4}/g)!.join('-');
}

/**
 * Accepts what people type — lower case, missing or extra dashes, spaces, O for
 * 0 and I for 1 — and returns the canonical `XXXX-XXXX-XXXX-XXXX-XXXX`
 * readings, or why it is not a keycode.
 */
export function parseKeycode(input: string): KeycodeParseResult {
  const compact = input.toUpperCase().replace(/[\s-]/g, '');
  if (compact.length !== KEYCODE_LENGTH || !/^[A-Z0-9]+$/.test(compact)) {
    return { ok: false, reason: 'format' };
  }
  const spoken = compact.replace(/[OI]/g, (letter) => READ_ALOUD[letter]!);
  const readings = spoken === compact ? [compact] : [compact, spoken];
  const candidates = readings.filter((reading) => weightedSum(reading) === 0).map(formatKeycode);
  if (candidates.length === 0) return { ok: false, reason: 'check_character' };
  return { ok: true, keycode: candidates[0]!, candidates };
}

/**
 * Builds a keycode from 19 body characters drawn by the caller's random source,
 * or null for the 1 in 37 bodies that have no check character (draw again).
 */
export function keycodeFromBody(body: string): string | null {
  if (body.length !== KEYCODE_LENGTH - 1) throw new Error('a keycode body has 19 characters');
  const check = keycodeCheckCharacter(body);
  return check === null ? null : formatKeycode(body + check);
}

/**
 * A keycode to issue now, from 19 characters of KEYCODE_ISSUE_ALPHABET; null
 * when the body has no check character or its check character is O or I
 * (draw again: 3 bodies in 37).
 */
export function issuableKeycodeFromBody(body: string): string | null {
  const keycode = keycodeFromBody(body);
  return keycode === null || /[OI]/.test(keycode) ? null : keycode;
}
