import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Application } from 'express';
import request from 'supertest';
import { exchangeConfigFromEnv } from './config';
import { createExchangeContainer, HttpApp } from './container';

describe('exchange app', () => {
  it('answers its health check and exposes metrics', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sd-exchange-'));
    const container = await createExchangeContainer(exchangeConfigFromEnv({ LOG_LEVEL: 'silent', DATA_DIR: dataDir }));
    const app = container.get<Application>(HttpApp);
    await request(app).get('/api/health').expect(200, { status: 'ok', sequence: 0 });
    const metrics = await request(app).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/http_requests_total\{method="GET",route="\/api\/health",status="200"\} 1/);
    await container.unbindAllAsync();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a bad config before starting', () => {
    expect(() => exchangeConfigFromEnv({ PORT: 'eighty' })).toThrow('PORT must be an integer');
    expect(() => exchangeConfigFromEnv({ EXCHANGE_MODE: 'distributed' })).toThrow('is required with EXCHANGE_MODE=distributed');
  });
});
