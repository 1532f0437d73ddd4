import 'reflect-metadata';
import { runMain } from '@warden/platform';
import { createInventoryApp } from './app';
import { loadInventoryConfig } from './config';

runMain('inventory', async () => {
  const app = await createInventoryApp(loadInventoryConfig());
  await app.listen();
  return app;
});
