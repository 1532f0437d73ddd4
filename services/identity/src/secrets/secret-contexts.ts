/** What a sealed value is bound to (SecretBox's additional data): its owner and its purpose. */
export function securityCodeContext(administratorId: string): string {
  return `security-code:${administratorId}`;
}

export function totpSecretContext(administratorId: string): string {
  return `totp-secret:${administratorId}`;
}

/**
 * Security answers are compared as people mean them: case, surrounding and
 * repeated spaces, and Unicode forms (full-width Latin letters typed on a
 * Japanese keyboard) do not matter.
 */
export function normalisedAnswer(answer: string): string {
  return answer.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}
