export * from './containers';
export * from './local-servers';
export * from './smtp-server';
export * from './test-servers';
export * from './dev-secrets';
