// Public entry point of the service, for the system tests only (see eslint.config.mjs).
export { createCommandApp } from './app';
export { loadCommandConfig, type CommandConfig } from './config';
