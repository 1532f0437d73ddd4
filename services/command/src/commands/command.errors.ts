import { DomainError } from '@warden/platform';

export function commandNotFound(commandId: string): DomainError {
  return new DomainError('COMMAND_NOT_FOUND', 'no such command', { commandId });
}

export function bulkNotFound(bulkId: string): DomainError {
  return new DomainError('BULK_NOT_FOUND', 'no such bulk', { bulkId });
}

export function commandNotCancellable(commandId: string, state: string): DomainError {
  return new DomainError(
    'COMMAND_NOT_CANCELLABLE',
    'only a command still pending can be cancelled',
    { commandId, state },
  );
}

export function confirmationTokenInvalid(): DomainError {
  return new DomainError(
    'CONFIRMATION_TOKEN_INVALID',
    'this confirmation token is unknown or was given to another administrator; preview again',
  );
}

export function confirmationTokenExpired(expiresAt: Date): DomainError {
  return new DomainError(
    'CONFIRMATION_TOKEN_EXPIRED',
    'this confirmation token has expired; preview again',
    { expiresAt: expiresAt.toISOString() },
  );
}

export function commandTargetEmpty(skipped: number): DomainError {
  return new DomainError(
    'COMMAND_TARGET_EMPTY',
    'no endpoint of this selection can receive the command',
    { skipped },
  );
}

export function endpointNotFound(endpointId: string): DomainError {
  return new DomainError('ENDPOINT_NOT_FOUND', 'no such endpoint', { endpointId });
}

export function endpointNotCommandable(endpointId: string, why: string): DomainError {
  return new DomainError('ENDPOINT_NOT_COMMANDABLE', why, { endpointId });
}

export function idempotencyKeyReused(): DomainError {
  return new DomainError(
    'IDEMPOTENCY_KEY_REUSED',
    'this Idempotency-Key was used for another command',
  );
}

export function cursorInvalid(): DomainError {
  return new DomainError(
    'CURSOR_INVALID',
    'this cursor is malformed or was made for another filter; start from the first page',
  );
}
