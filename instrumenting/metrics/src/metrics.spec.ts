import { Metrics } from './metrics';

describe('Metrics', () => {
  it('exposes what was counted, per instance', async () => {
    const a = new Metrics();
    const b = new Metrics();
    a.counter('orders_total', 'orders', ['side']).inc({ side: 'buy' }, 3);
    b.counter('orders_total', 'orders', ['side']).inc({ side: 'buy' });
    expect((await a.expose()).body).toContain('orders_total{side="buy"} 3');
    expect((await b.expose()).body).toContain('orders_total{side="buy"} 1');
  });

  it('returns the same metric for the same name', () => {
    const metrics = new Metrics();
    expect(metrics.histogram('latency_seconds', 'l')).toBe(metrics.histogram('latency_seconds', 'l'));
  });

  it('exposes bound counters and histograms exactly as prom-client exposes the same observations', async () => {
    const bound = new Metrics({ labels: { app: 'x' } });
    const reference = new Metrics({ labels: { app: 'x' } });
    const requests = bound.boundCounter('requests_total', 'requests', ['method', 'route']);
    const latency = bound.boundHistogram('latency_seconds', 'latency', ['route'], [0.001, 0.01, 0.1]);
    const observations: [string, string, number][] = [['GET', '/a', 0.0005], ['GET', '/a', 0.001], ['POST', '/b', 0.05], ['GET', '/a', 0.2], ['POST', '/b', 0.01]];
    for (const [method, route, seconds] of observations) {
      requests.bind({ method, route }).inc();
      latency.bind({ route }).observe(seconds);
      reference.counter('requests_total', 'requests', ['method', 'route']).inc({ method, route });
      reference.histogram('latency_seconds', 'latency', ['route'], [0.001, 0.01, 0.1]).observe({ route }, seconds);
    }
    const exposed = (await bound.expose()).body;
    expect(exposed).toBe((await reference.expose()).body);
    expect(exposed).toContain('latency_seconds_bucket{le="0.01",app="x",route="/b"} 1');
    expect(bound.boundCounter('requests_total', 'requests', ['method', 'route'])).toBe(requests);
  });
});
