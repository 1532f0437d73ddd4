/**
 * The tokens in a token list (`OPS_API_TOKENS`, or the text of an
 * `OPS_API_TOKENS_FILE`): one per line or comma-separated, blank lines and
 * `#` comment lines ignored. One reader, so the gateway and `npm start` agree
 * on what a file holds.
 */
export function tokensIn(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => !line.trim().startsWith('#'))
    .flatMap((line) => line.split(','))
    .map((token) => token.trim())
    .filter(Boolean);
}
