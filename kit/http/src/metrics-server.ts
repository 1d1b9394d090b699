import express from 'express';
import type { Metrics } from '@sd/metrics/metrics';
import { listen, type RunningServer } from './server';

/**
 * `/metrics` for Prometheus on a listener of its own (`METRICS_PORT`), so the public API port
 * a load balancer exposes never serves the process's internals.
 */
export async function listenMetrics(metrics: Metrics, options: { host: string; port: number }): Promise<RunningServer> {
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', async (_req, res) => {
    const { contentType, body } = await metrics.expose();
    res.type(contentType).send(body);
  });
  return listen(app, options);
}
