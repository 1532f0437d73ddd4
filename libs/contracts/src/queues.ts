/**
 * BullMQ queue names. Jobs already waiting in Redis are found by these names:
 * do not rename one without a migration that drains the old queue.
 */
export const QUEUES = {
  deactivationVerify: 'deactivation-verify',
  commandExpiry: 'command-expiry',
  staleEndpoints: 'stale-endpoints',
  mail: 'mail',
  reports: 'reports',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
