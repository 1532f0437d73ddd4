export * from './contract';
export * from './errors';
export * from './services';
export * from './queues';
export * from './health/health.contract';
