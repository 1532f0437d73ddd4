/**
 * BullMQ queue names. Jobs already waiting in Redis are found by these names:
 * do not rename one without a migration that drains the old queue.
 */
export const QUEUES = {
  deactivationVerify: 'deactivation-verify',
  /** After a `change_keycode` succeeded: release the source seat, retire the source endpoint. */
  keycodeMove: 'keycode-move',
  leaseReconciliation: 'lease-reconciliation',
  commandExpiry: 'command-expiry',
  staleEndpoints: 'stale-endpoints',
  mail: 'mail',
  reports: 'reports',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
