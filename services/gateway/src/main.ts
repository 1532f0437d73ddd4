import 'reflect-metadata';
import { runMain } from '@warden/platform';
import { createGatewayApp } from './app';
import { loadGatewayConfig } from './config';

runMain('gateway', async () => {
  const config = loadGatewayConfig();
  const app = await createGatewayApp(config);
  await app.listen(config.port, config.host);
  process.stdout.write(`gateway listening on ${await app.getUrl()}\n`);
  return app;
});
