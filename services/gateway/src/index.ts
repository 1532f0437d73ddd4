// Public entry point of the service, for the system tests only (see eslint.config.mjs).
export { createGatewayApp, type GatewayAppOptions } from './app';
export { RouteTable } from './edge/route-table';
export { CONSOLE_PERMISSION_KINDS, ROUTE_ACCESS, type RouteAccess } from './auth/route-access';
export { BODY_SCHEMA } from './http/openapi';
export { ENTITY_TAG_PATTERN } from './http/if-match';
export { loadGatewayConfig, type GatewayConfig } from './config';
