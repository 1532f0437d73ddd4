// Public entry point of the service, for the system tests only (see eslint.config.mjs).
export { createGatewayApp } from './app';
export { loadGatewayConfig, type GatewayConfig } from './config';
