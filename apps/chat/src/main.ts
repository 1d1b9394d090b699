import 'reflect-metadata';
import { serveApp } from '@sd/app/app-container';
import { runMain } from '@sd/app/main';
import { chatConfigFromEnv } from './config';
import { createChatContainer } from './container';

runMain(async () => {
  const config = chatConfigFromEnv(process.env);
  const app = await serveApp(await createChatContainer(config), config.http, config.metrics);
  app.logger.info({ url: app.url, metrics: `${app.metricsUrl}/metrics`, store: config.store.kind, mq: config.mq.kind, auth: config.auth.kind }, 'chat app listening');
  return app;
});
