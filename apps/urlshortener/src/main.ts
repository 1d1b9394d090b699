import 'reflect-metadata';
import { serveApp } from '@sd/app/app-container';
import { runMain } from '@sd/app/main';
import { urlShortenerConfigFromEnv } from './config';
import { createUrlShortenerContainer } from './container';

runMain(async () => {
  const config = urlShortenerConfigFromEnv(process.env);
  const app = await serveApp(await createUrlShortenerContainer(config), config.http, config.metrics);
  app.logger.info({ url: app.url, metrics: `${app.metricsUrl}/metrics`, sql: config.sql.kind, cache: config.cache.kind, auth: config.auth.kind }, 'url shortener listening');
  return app;
});
