import request from 'supertest';
import { DomainError } from '@sd/domain/errors';
import { silentLogger } from '@sd/logging/logger';
import { Metrics } from '@sd/metrics/metrics';
import { createHttpApp } from './http-app';
import type { LeanRequest } from './lean-routes';

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

describe('createHttpApp lean routes', () => {
  const metrics = new Metrics();
  const seen: LeanRequest[] = [];
  const app = createHttpApp({
    logger: silentLogger,
    metrics,
    bodyLimit: '1kb',
    leanRoutes: [
      {
        method: 'POST',
        path: '/api/things/:thingId',
        handle: async (request, headers) => {
          seen.push(request);
          headers['x-extra'] = 'yes';
          if (request.params.thingId === 'missing') throw new DomainError('THING.NOT_FOUND', 'not_found', 'thing not found');
          if (request.params.thingId === 'bug') throw new TypeError('secret internals');
          return { id: request.params.thingId, body: request.body ?? null, query: request.query };
        },
      },
    ],
    routes: (app) => app.post('/api/other', (req, res) => void res.json({ express: true, body: req.body })),
  });
  const post = (path: string) => request(app).post(path).set('content-type', 'application/json');

  it('serves a lean route with its params, query, parsed body, headers and a request id', async () => {
    const response = await post('/api/things/a%20b?x=1&x=2&y=3').set('x-request-id', 'req-1').send('{"size":"0.1"}').expect(200);
    expect(response.body).toEqual({ id: 'a b', body: { size: '0.1' }, query: { x: ['1', '2'], y: '3' } });
    expect(response.headers['x-request-id']).toBe('req-1');
    expect(response.headers['x-extra']).toBe('yes');
    expect(seen.at(-1)!.rawBody.toString()).toBe('{"size":"0.1"}');
    expect(seen.at(-1)!.url).toBe('/api/things/a%20b?x=1&x=2&y=3');
  });

  it('leaves every other route to express', async () => {
    expect((await post('/api/other').send('{"a":1}').expect(200)).body).toEqual({ express: true, body: { a: 1 } });
    await request(app).get('/api/things/a').expect(404);
  });

  it('refuses bodies as express.json would: malformed, not an object or array, too large, encoded', async () => {
    expect((await post('/api/things/a').send('{"a":').expect(400)).body.code).toBe('HTTP.MALFORMED_JSON');
    expect((await post('/api/things/a').send('42').expect(400)).body.code).toBe('HTTP.MALFORMED_JSON');
    expect((await post('/api/things/a').send(JSON.stringify({ blob: 'x'.repeat(2000) })).expect(413)).body.code).toBe('HTTP.BODY_TOO_LARGE');
    await post('/api/things/a').set('content-encoding', 'gzip').send('{}').expect(415);
    await request(app).post('/api/things/a').set('content-type', 'application/json; charset=latin1').send('{}').expect(415);
    await request(app).post('/api/things/a%E0%A4%A').expect(400);
  });

  it('reads no JSON from another content type, and an empty JSON body as {}', async () => {
    expect((await request(app).post('/api/things/a').set('content-type', 'text/plain').send('{"a":1}').expect(200)).body.body).toBeNull();
    expect((await post('/api/things/a').expect(200)).body.body).toEqual({});
  });

  it('maps errors through the one table and hides internals', async () => {
    expect((await post('/api/things/missing').send('{}').expect(404)).body).toEqual({ message: 'thing not found', code: 'THING.NOT_FOUND' });
    expect((await post('/api/things/bug').send('{}').expect(500)).body).toEqual({ message: 'internal error', code: 'INTERNAL' });
  });

  it('counts lean requests by route template', async () => {
    await post('/api/things/counted').send('{}').expect(200);
    expect((await metrics.expose()).body).toMatch(/http_requests_total\{method="POST",route="\/api\/things\/:thingId",status="200"\} \d/);
  });
});
