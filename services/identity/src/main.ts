import 'reflect-metadata';
import { runMain } from '@warden/platform';
import { createIdentityApp } from './app';
import { loadIdentityConfig } from './config';

runMain('identity', async () => {
  const app = await createIdentityApp(loadIdentityConfig());
  await app.listen();
  return app;
});
