/**
 * Each message is validated once on each side of a hop: the receiver parses
 * every request (it cannot trust the network), while a reply — built by typed
 * code from the same contract — is trusted in production and checked in
 * tests (jest.setup.ts turns this on), where a broken reply must fail loudly:
 * it then becomes a logged INTERNAL (ContractViolationError), on the side
 * that sent or received it.
 */
let checking = false;

export function checkReplies(enabled: boolean): void {
  checking = enabled;
}

export function repliesChecked(): boolean {
  return checking;
}
