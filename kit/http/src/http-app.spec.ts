import request from 'supertest';
import { DomainError } from '@sd/domain/errors';
import { silentLogger } from '@sd/logging/logger';
import { Metrics } from '@sd/metrics/metrics';
import { createHttpApp } from './http-app';

describe('createHttpApp', () => {
  const metrics = new Metrics();
  const app = createHttpApp({
    logger: silentLogger,
    metrics,
    bodyLimit: '1kb',
    routes: (app) => {
      app.post('/echo', (req, res) => void res.json(req.body));
      app.get('/limited', () => {
        throw new DomainError('RATE.LIMITED', 'rate_limited', 'slow down', { details: { retryAfterSeconds: 2.2 } });
      });
      app.get('/missing', async () => {
        throw new DomainError('THING.NOT_FOUND', 'not_found', 'thing not found');
      });
      app.get('/bug', () => {
        throw new TypeError('secret internals');
      });
    },
  });

  it('maps domain errors to their status with the Coinbase error shape', async () => {
    const response = await request(app).get('/missing').expect(404);
    expect(response.body).toEqual({ message: 'thing not found', code: 'THING.NOT_FOUND' });
  });

  it('answers 429 with Retry-After in whole seconds', async () => {
    const response = await request(app).get('/limited').expect(429);
    expect(response.headers['retry-after']).toBe('3');
  });

  it('hides unexpected errors behind a 500', async () => {
    const response = await request(app).get('/bug').expect(500);
    expect(response.body).toEqual({ message: 'internal error', code: 'INTERNAL' });
  });

  it('refuses malformed and oversized JSON bodies', async () => {
    await request(app).post('/echo').set('content-type', 'application/json').send('{"a":').expect(400);
    const response = await request(app).post('/echo').send({ blob: 'x'.repeat(2000) }).expect(413);
    expect(response.body.code).toBe('HTTP.BODY_TOO_LARGE');
  });

  it('answers unknown routes with a JSON 404 and echoes a sane request id', async () => {
    const response = await request(app).get('/nope').set('x-request-id', 'abc-123').expect(404);
    expect(response.headers['x-request-id']).toBe('abc-123');
    expect(response.body.code).toBe('HTTP.NOT_FOUND');
    const replaced = await request(app).get('/nope').set('x-request-id', 'bad id with spaces');
    expect(replaced.headers['x-request-id']).not.toBe('bad id with spaces');
  });

  it('counts requests by route template', async () => {
    await request(app).post('/echo').send({ a: 1 }).expect(200);
    expect((await metrics.expose()).body).toMatch(/http_requests_total\{method="POST",route="\/echo",status="200"\} \d/);
  });
});
