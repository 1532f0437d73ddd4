// Public entry point of the service, for the system tests only (see eslint.config.mjs).
export { createLicensingApp } from './app';
export { loadLicensingConfig, type LicensingConfig } from './config';
