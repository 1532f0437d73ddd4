import type { Caller } from '@warden/contracts';
import { DomainError } from '../errors/domain-error';

/**
 * The console a console-facing request acts in, from its caller (the gateway
 * set it from the caller's token). A caller without one — an operator, the
 * system — has no business on a console-scoped route.
 */
export function tenantOf(caller: Caller): string {
  if (caller.consoleId === undefined) {
    throw new DomainError('FORBIDDEN', 'this needs the credentials of a console');
  }
  return caller.consoleId;
}
