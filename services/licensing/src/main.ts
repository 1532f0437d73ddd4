import 'reflect-metadata';
import { runMain } from '@warden/platform';
import { createLicensingApp } from './app';
import { loadLicensingConfig } from './config';

runMain('licensing', async () => {
  const app = await createLicensingApp(loadLicensingConfig());
  await app.listen();
  return app;
});
