// Public entry point of the service, for the system tests only (see eslint.config.mjs).
export { createInventoryApp, type InventoryAppOptions } from './app';
export { loadInventoryConfig, type InventoryConfig } from './config';
/** For tests that put a failing write in place of the real one. */
export { EndpointRepository } from './endpoints/endpoint.repository';
