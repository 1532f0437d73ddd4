// Public entry point of the service, for the system tests only (see eslint.config.mjs).
export { createInventoryApp } from './app';
export { loadInventoryConfig, type InventoryConfig } from './config';
