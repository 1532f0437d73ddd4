import { DomainError } from '@warden/platform';

/** Another console's policy reads as none: its existence is not revealed. */
export function policyNotFound(policyId: string): DomainError {
  return new DomainError('POLICY_NOT_FOUND', 'no such policy', { policyId });
}

export function policyNameTaken(name: string): DomainError {
  return new DomainError(
    'POLICY_NAME_TAKEN',
    'a policy of this console (or a built-in) already has this name, whatever the case',
    { name },
  );
}

export function builtinReadOnly(policyId: string): DomainError {
  return new DomainError(
    'POLICY_BUILTIN_READ_ONLY',
    'built-in policies cannot be changed or deleted: copy one to make your own',
    { policyId },
  );
}

export function versionConflict(policyId: string, currentVersion: number): DomainError {
  return new DomainError(
    'POLICY_VERSION_CONFLICT',
    'the policy was changed since it was read: read it again and reapply the change',
    { policyId, currentVersion },
  );
}

export function idempotencyKeyReused(): DomainError {
  return new DomainError(
    'IDEMPOTENCY_KEY_REUSED',
    'this Idempotency-Key was used before for a different copy; use a new key for a new request',
  );
}
