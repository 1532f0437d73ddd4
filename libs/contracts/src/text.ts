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
/* eslint-disable no-control-regex -- matching control characters is the point of these two */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;
const CONTROL_EXCEPT_LINE_BREAKS_AND_TABS =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u;
/* eslint-enable no-control-regex */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/u;
const LONE_SURROGATE = /\p{Surrogate}/u;

function refuseUnsafe(
  text: string,
  context: z.RefinementCtx,
  controls: RegExp,
  what: string,
): void {
  if (LONE_SURROGATE.test(text)) {
    context.addIssue({ code: z.ZodIssueCode.custom, message: 'must be valid Unicode text' });
  } else if (controls.test(text)) {
    context.addIssue({
      code: z.ZodIssueCode.custom,
      message: `must not contain control characters${what}`,
    });
  } else if (BIDI_CONTROL.test(text)) {
    context.addIssue({
      code: z.ZodIssueCode.custom,
      message: 'must not contain bidirectional override characters',
    });
  }
}

/** A one-line name: trimmed, NFC, `min`–`max` characters after that. */
export function nameText(max: number, min = 1) {
  return z
    .string()
    .superRefine((text, context) => refuseUnsafe(text, context, CONTROL, ''))
    .transform((text) => text.normalize('NFC').trim())
    .pipe(z.string().min(min).max(max));
}

/** Free text over several lines (a comment): line breaks and tabs allowed, NFC, at most `max`. */
export function multilineText(max: number) {
  return z
    .string()
    .superRefine((text, context) =>
      refuseUnsafe(
        text,
        context,
        CONTROL_EXCEPT_LINE_BREAKS_AND_TABS,
        ' other than line breaks and tabs',
      ),
    )
    .transform((text) => text.replace(/\r\n?/g, '\n').normalize('NFC'))
    .pipe(z.string().max(max));
}

/** E-mail addresses, each at most once (compared without regard to case), at most `max` of them. */
export function emailList(max: number) {
  return z
    .array(z.string().trim().email().max(254))
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
