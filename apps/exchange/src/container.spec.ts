import type { Application } from 'express';
import request from 'supertest';
import { exchangeConfigFromEnv } from './config';
import { createExchangeContainer, HttpApp } from './container';

describe('exchange app', () => {
  it('answers its health check and exposes metrics', async () => {
    const container = await createExchangeContainer(exchangeConfigFromEnv({ LOG_LEVEL: 'silent' }));
    const app = container.get<Application>(HttpApp);
    await request(app).get('/api/health').expect(200, { status: 'ok' });
    const metrics = await request(app).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/http_requests_total\{method="GET",route="\/api\/health",status="200"\} 1/);
    await container.unbindAllAsync();
  });

  it('refuses a bad config before starting', () => {
    expect(() => exchangeConfigFromEnv({ PORT: 'eighty' })).toThrow('PORT must be an integer');
    expect(() => exchangeConfigFromEnv({ EXCHANGE_MODE: 'distributed' })).toThrow('KAFKA_BROKERS is required');
  });
});
