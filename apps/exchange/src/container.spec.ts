import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Application } from 'express';
import request from 'supertest';
import { exchangeConfigFromEnv } from './config';
import { Metrics } from '@sd/metrics/metrics';
import { createExchangeContainer, HttpApp } from './container';

describe('exchange app', () => {
  it('answers liveness and readiness (journal, snapshots, auth database, read side), and keeps /metrics off the API port', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sd-exchange-'));
    const container = await createExchangeContainer(exchangeConfigFromEnv({ LOG_LEVEL: 'silent', DATA_DIR: dataDir, DEMO_MARKET: 'off' }));
    const app = await container.getAsync<Application>(HttpApp);
    await request(app).get('/api/health').expect(200, { status: 'ok', sequence: 0 });
    await request(app).get('/api/health/live').expect(200, { status: 'ok', sequence: 0 });
    const { body } = await request(app).get('/api/health/ready').expect(200);
    expect(Object.keys(body.checks).sort()).toEqual(['journal', 'read-side', 'snapshots', 'sqlite:auth']);
    await request(app).get('/metrics').expect(404);
    const metrics = await container.get(Metrics).expose();
    expect(metrics.body).toMatch(/http_requests_total\{method="GET",route="\/api\/health",status="200"\} 1/);
    // The journal's directory gone: readiness names the part.
    rmSync(join(dataDir, 'journal'), { recursive: true, force: true });
    const unready = await request(app).get('/api/health/ready').expect(503);
    expect(unready.body.message).toMatch(/^not ready: journal \(ENOENT/);
    await container.unbindAllAsync();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a bad config before starting', () => {
    expect(() => exchangeConfigFromEnv({ PORT: 'eighty' })).toThrow('PORT must be an integer');
    expect(() => exchangeConfigFromEnv({ EXCHANGE_MODE: 'distributed' })).toThrow('is required with EXCHANGE_MODE=distributed');
  });
});
