import { httpAppModule } from '@sd/http/http-app.module';
import { silentLogger } from '@sd/logging/logger';
import { Metrics } from '@sd/metrics/metrics';
import { createAppContainer, serveApp } from './app-container';

describe('serveApp', () => {
  it('serves the app on its port and /metrics on a port of its own', async () => {
    const container = createAppContainer({ name: 'test', logLevel: 'silent', logger: silentLogger });
    container.load(httpAppModule({ inject: [], mount: () => undefined }));
    container.get(Metrics).counter('served_total', 'a counter the test reads back').inc();
    const running = await serveApp(container, { host: '127.0.0.1', port: 0 }, { host: '127.0.0.1', port: 0 });
    try {
      expect(running.metricsUrl).not.toBe(running.url);
      expect(await (await fetch(`${running.url}/api/health/ready`)).json()).toEqual({ status: 'ready', checks: {} });
      expect((await fetch(`${running.url}/metrics`)).status).toBe(404);
      expect(await (await fetch(`${running.metricsUrl}/metrics`)).text()).toContain('served_total 1');
    } finally {
      await running.close();
    }
  });
});
