// Public entry point of the service, for the system tests only (see eslint.config.mjs).
export { createIdentityApp } from './app';
export { loadIdentityConfig, type IdentityConfig } from './config';
