// Public entry point of the service, for the system tests only (see eslint.config.mjs).
export { createCommandApp } from './app';
export { loadCommandConfig, type CommandConfig } from './config';
/** For tests that run a housekeeping routine now rather than wait for its schedule. */
export {
  HOUSEKEEPING_QUEUES,
  HousekeepingScheduler,
  type HousekeepingQueue,
} from './housekeeping/housekeeping-scheduler';
/** For the test that cuts the job connections as a Redis restart would. */
export { jobConnectionName } from './jobs/job-queues';
