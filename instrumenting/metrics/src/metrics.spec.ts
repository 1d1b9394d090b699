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
});
