import { DomainError } from '@warden/platform';

export function endpointNotFound(endpointId: string): DomainError {
  return new DomainError('ENDPOINT_NOT_FOUND', 'no such endpoint', { endpointId });
}

export function groupNotFound(groupId: string): DomainError {
  return new DomainError('GROUP_NOT_FOUND', 'no such group', { groupId });
}

export function groupNameTaken(name: string): DomainError {
  return new DomainError('GROUP_NAME_TAKEN', 'the site has a group with this name', { name });
}

export function groupSystemProtected(groupId: string, why: string): DomainError {
  return new DomainError('GROUP_SYSTEM_PROTECTED', why, { groupId });
}

export function cursorInvalid(): DomainError {
  return new DomainError(
    'CURSOR_INVALID',
    'this cursor is malformed or was made for another filter or sort; start from the first page',
  );
}

/** A caller of one console naming another: answered as not found, never revealed. */
export function assertActsIn(caller: { consoleId?: string | undefined }, consoleId: string): void {
  if (caller.consoleId !== undefined && caller.consoleId !== consoleId) {
    throw new DomainError('FORBIDDEN', 'a caller acts in its own console only', { consoleId });
  }
}
