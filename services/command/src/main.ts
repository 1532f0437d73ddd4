import 'reflect-metadata';
import { runMain } from '@warden/platform';
import { createCommandApp } from './app';
import { loadCommandConfig } from './config';

runMain('command', async () => {
  const app = await createCommandApp(loadCommandConfig());
  await app.listen();
  return app;
});
