import type { Application } from 'express';
import { Container } from 'inversify';
import request from 'supertest';
import { HealthCheck } from '@sd/domain/health';
import { Logger } from '@sd/domain/logger';
import { silentLogger } from '@sd/logging/logger';
import { Metrics } from '@sd/metrics/metrics';
import { healthRoutes, ReadinessProbe } from './health';
import { createHttpApp } from './http-app';
import { HttpApp, httpAppModule } from './http-app.module';
import { listenMetrics } from './metrics-server';

/** A dependency the test switches: answering, refusing, or never answering. */
class Switchable implements HealthCheck {
  state: 'up' | 'refusing' | 'hanging' = 'up';
  calls = 0;
  constructor(readonly name: string) {}
  check(): Promise<void> {
    this.calls += 1;
    if (this.state === 'refusing') return Promise.reject(new AggregateError([new Error('connect ECONNREFUSED 127.0.0.1:5432')], ''));
    if (this.state === 'hanging') return new Promise(() => undefined);
    return Promise.resolve();
  }
}

describe('health routes', () => {
  const database = new Switchable('postgresql:auth');
  const broker = new Switchable('kafka');
  const app = createHttpApp({
    logger: silentLogger,
    routes: (app) => app.use(healthRoutes({ checks: [database, broker], live: () => ({ sequence: 42 }), timeoutMs: 200 })),
  });
  beforeEach(() => {
    database.state = 'up';
    broker.state = 'up';
  });

  it('answers liveness at /api/health and /api/health/live, whatever the dependencies', async () => {
    broker.state = 'refusing';
    await request(app).get('/api/health').expect(200, { status: 'ok', sequence: 42 });
    await request(app).get('/api/health/live').expect(200, { status: 'ok', sequence: 42 });
  });

  it('is ready when every check answers', async () => {
    const { body } = await request(app).get('/api/health/ready').expect(200);
    expect(body).toMatchObject({ status: 'ready', checks: { 'postgresql:auth': { status: 'up' }, kafka: { status: 'up' } } });
  });

  it('answers 503 naming the part that fails and why', async () => {
    database.state = 'refusing';
    const { body } = await request(app).get('/api/health/ready').expect(503);
    expect(body).toMatchObject({
      status: 'unready',
      code: 'HEALTH.NOT_READY',
      message: 'not ready: postgresql:auth (connect ECONNREFUSED 127.0.0.1:5432)',
      checks: { 'postgresql:auth': { status: 'down', error: 'connect ECONNREFUSED 127.0.0.1:5432' }, kafka: { status: 'up' } },
    });
  });

  it('counts a check that does not answer in time as down', async () => {
    broker.state = 'hanging';
    const { body } = await request(app).get('/api/health/ready').expect(503);
    expect(body.checks.kafka).toMatchObject({ status: 'down', error: 'no answer within 200 ms' });
    expect(body.checks.kafka.ms).toBeGreaterThanOrEqual(190);
  });
});

describe('ReadinessProbe', () => {
  it('waits again on a check still running from an earlier probe instead of starting another', async () => {
    const broker = new Switchable('kafka');
    broker.state = 'hanging';
    const probe = new ReadinessProbe([broker], 50);
    await probe.evaluate();
    await probe.evaluate();
    expect(broker.calls).toBe(1);
  });

  it('starts the check again once it has settled', async () => {
    const broker = new Switchable('kafka');
    const probe = new ReadinessProbe([broker], 50);
    expect((await probe.evaluate()).ready).toBe(true);
    broker.state = 'refusing';
    expect((await probe.evaluate()).ready).toBe(false);
    broker.state = 'up';
    expect((await probe.evaluate()).ready).toBe(true);
    expect(broker.calls).toBe(3);
  });

  it('refuses two checks of one name: the answer could not tell them apart', () => {
    expect(() => new ReadinessProbe([new Switchable('redis'), new Switchable('redis')])).toThrow('two health checks are named redis');
  });
});

describe('listenMetrics', () => {
  it('serves /metrics on its own port and nothing else', async () => {
    const metrics = new Metrics();
    metrics.counter('probe_total', 'a counter the test reads back').inc();
    const server = await listenMetrics(metrics, { host: '127.0.0.1', port: 0 });
    try {
      const scraped = await fetch(`${server.url}/metrics`);
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain('probe_total 1');
      expect((await fetch(`${server.url}/api/health`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});

describe('httpAppModule', () => {
  it('answers readiness over every HealthCheck in the container, and serves no /metrics', async () => {
    const container = new Container({ defaultScope: 'Singleton' });
    container.bind(Logger).toConstantValue(silentLogger);
    container.bind(Metrics).toConstantValue(new Metrics());
    const broker = new Switchable('kafka');
    container.bind<HealthCheck>(HealthCheck).toConstantValue(broker);
    container.bind<HealthCheck>(HealthCheck).toConstantValue(new Switchable('redis:cache'));
    container.load(httpAppModule({ inject: [], mount: (app) => app.get('/api/hello', (_req, res) => void res.json({ hello: true })) }));
    const app = await container.getAsync<Application>(HttpApp);
    expect(Object.keys((await request(app).get('/api/health/ready').expect(200)).body.checks).sort()).toEqual(['kafka', 'redis:cache']);
    broker.state = 'refusing';
    await request(app).get('/api/health/ready').expect(503);
    await request(app).get('/api/hello').expect(200, { hello: true });
    await request(app).get('/metrics').expect(404);
  });
});
