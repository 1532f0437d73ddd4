import { z } from 'zod';

/**
 * Text people type into names and comments. What a name can hold decides what
 * every screen, log line, e-mail and CSV export must survive, so it is decided
 * once, here:
 * - NUL and other control characters are refused (a comment may keep line
 *   breaks and tabs; CR LF becomes LF);
 * - bidirectional embeddings, overrides and isolates (U+202A–U+202E,
 *   U+2066–U+2069) are refused: they make text display differently from what
 *   it is ("Trojan Source");
 * - lone UTF-16 surrogates are refused (they are not text and cannot be stored
 *   as UTF-8);
 * - the rest is stored in Unicode NFC, so the same name typed on two systems
 *   compares equal.
 */
// Control characters (C0, DEL, C1) and bidi embeddings, overrides and isolates.
const UNSAFE_CLASS = '\\u0000-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069';
// The same, but a comment keeps tab, LF and CR.
const UNSAFE_IN_COMMENTS =
  '\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069';
/*
 * Patterns rather than code, so that the OpenAPI document states the same rule
 * (`pattern`), written with \u escapes so that they survive JSON. A name
 * also needs one character that is not white space.
 */
// Empty is left to the length rule, so an empty name is told one thing.
const NAME = new RegExp(`^(?:[^${UNSAFE_CLASS}]*[^\\s${UNSAFE_CLASS}][^${UNSAFE_CLASS}]*)?$`);
const COMMENT = new RegExp(`^[^${UNSAFE_IN_COMMENTS}]*$`);
const LONE_SURROGATE = /\p{Surrogate}/u;

function refuseLoneSurrogates(text: string, context: z.RefinementCtx): void {
  if (LONE_SURROGATE.test(text)) {
    context.addIssue({ code: z.ZodIssueCode.custom, message: 'must be valid Unicode text' });
  }
}

/** A one-line name of `min`–`max` characters, not blank; stored trimmed and in NFC. */
export function nameText(max: number, min = 1) {
  return z
    .string()
    .min(min)
    .max(max)
    .regex(NAME, 'must not be blank, nor hold control characters or bidirectional overrides')
    .superRefine(refuseLoneSurrogates)
    .transform((text) => text.normalize('NFC').trim());
}

/** Free text over several lines (a comment): line breaks and tabs allowed, stored in NFC. */
export function multilineText(max: number) {
  return z
    .string()
    .max(max)
    .regex(COMMENT, 'must not hold control characters (but line breaks and tabs) or bidi overrides')
    .superRefine(refuseLoneSurrogates)
    .transform((text) => text.replace(/\r\n?/g, '\n').normalize('NFC'));
}

/**
 * The one rule for an e-mail address, on both sides of every hop (the gateway
 * documents it as `format: email` plus this pattern). It accepts only what
 * both zod's `.email()` and the common `format: email` validators accept, so a
 * client validating with the OpenAPI document and the server agree on every
 * address: no quoted or whitespace-padded local parts, no `!#$%…`, no trailing
 * `'`, a letter-only top-level domain of 2–63 characters, labels of at most 63
 * that neither start nor end with `-`.
 */
export const EMAIL_ADDRESS =
  /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

export const emailAddressSchema = z
  .string()
  .max(254)
  .regex(EMAIL_ADDRESS, 'must be an e-mail address');

/** E-mail addresses, each at most once (compared without regard to case), at most `max` of them. */
export function emailList(max: number) {
  return z
    .array(emailAddressSchema)
    .max(max)
    .superRefine((emails, context) => {
      const seen = new Set<string>();
      emails.forEach((email, index) => {
        const key = email.toLowerCase();
        if (seen.has(key)) {
          context.addIssue({
            code: z.ZodIssueCode.custom,
            path: [index],
            message: 'is listed twice',
          });
        }
        seen.add(key);
      });
    });
}

/**
 * A whole number from a query string, written in plain decimal digits only:
 * `limit=0x10`, `1e2`, ` 5` or `5.0` are refused rather than guessed at.
 */
export function queryInt(min: number, max: number) {
  return z
    .string()
    .regex(/^(0|[1-9][0-9]{0,8})$/, 'must be a whole number in decimal digits')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
}
