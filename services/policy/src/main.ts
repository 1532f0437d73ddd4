import 'reflect-metadata';
import { runMain } from '@warden/platform';
import { createPolicyApp } from './app';
import { loadPolicyConfig } from './config';

runMain('policy', async () => {
  const app = await createPolicyApp(loadPolicyConfig());
  await app.listen();
  return app;
});
