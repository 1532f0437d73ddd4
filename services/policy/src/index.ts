// Public entry point of the service, for the system tests only (see eslint.config.mjs).
export { createPolicyApp } from './app';
export { loadPolicyConfig, type PolicyConfig } from './config';
