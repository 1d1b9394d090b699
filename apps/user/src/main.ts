import 'reflect-metadata';
import { serveApp } from '@sd/app/app-container';
import { runMain } from '@sd/app/main';
import { userConfigFromEnv } from './config';
import { createUserContainer } from './container';

runMain(async () => {
  const config = userConfigFromEnv(process.env);
  const app = await serveApp(await createUserContainer(config), config.http, config.metrics);
  app.logger.info({ url: app.url, metrics: `${app.metricsUrl}/metrics`, sql: config.sql.kind, cache: config.cache.kind }, 'user app listening');
  return app;
});
