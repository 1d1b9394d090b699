import request from 'supertest';
import { DomainError } from '@sd/domain/errors';
import { silentLogger } from '@sd/logging/logger';
import { Metrics } from '@sd/metrics/metrics';
import { Type } from '@sinclair/typebox';
import { defineRoute, type ApiRequest, type Lane } from './api-route';
import { createHttpApp } from './http-app';
import { listen } from './server';
import { OpenApiResponseChecker } from './openapi-check';

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

describe.each<Lane>(['fast', 'express'])('API routes on the %s lane', (lane) => {
  const metrics = new Metrics();
  const seen: ApiRequest[] = [];
  let produced = 0;
  let version = 1;
  const routes = [
    defineRoute({
      method: 'POST',
      path: '/things/:thingId',
      summary: 'a thing',
      tags: ['things'],
      security: 'public',
      schema: {
        params: Type.Object({ thingId: Type.String({ maxLength: 20 }) }),
        query: Type.Object({ n: Type.Optional(Type.Integer({ minimum: 1, default: 5, errorMessage: 'must be a whole number from 1' })) }),
        body: Type.Object({ size: Type.String({ pattern: '^\\d+$' }), note: Type.Optional(Type.String()) }),
        response: Type.Object({ id: Type.String(), size: Type.String(), n: Type.Integer() }),
      },
      handle: (request, reply) => {
        seen.push(request as unknown as ApiRequest);
        reply.headers['x-extra'] = 'yes';
        if (request.params.thingId === 'missing') throw new DomainError('THING.NOT_FOUND', 'not_found', 'thing not found');
        if (request.params.thingId === 'bug') throw new TypeError('secret internals');
        return { id: request.params.thingId, size: request.body.size, n: request.query.n ?? 0, dropped: 'not in the schema' };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/cached',
      summary: 'a cached answer',
      tags: ['things'],
      security: 'public',
      schema: { response: Type.Object({ version: Type.Integer() }) },
      handle: (_request, reply) =>
        reply.cached('one', version, () => {
          produced++;
          return { version };
        }),
    }),
    defineRoute({
      method: 'GET',
      path: '/hangs',
      summary: 'an answer that never comes',
      tags: ['things'],
      security: 'public',
      schema: { response: Type.Object({}) },
      handle: () => new Promise<never>(() => undefined),
    }),
  ];
  const app = createHttpApp({
    logger: silentLogger,
    metrics,
    bodyLimit: '1kb',
    api: { mountPath: '/api', routes, lanes: { 'POST /things/:thingId': lane, 'GET /cached': lane, 'GET /hangs': lane } },
    routes: (app) => app.post('/api/other', (req, res) => void res.json({ express: true, body: req.body })),
  });
  const post = (path: string) => request(app).post(path).set('content-type', 'application/json');

  it('serves a route with its decoded params, checked query and body, raw body, headers and a request id', async () => {
    const response = await post('/api/things/a%20b?n=3&x=1').set('x-request-id', 'req-1').send('{"size":"10", "extra":true}').expect(200);
    // The answer is what the response schema says: a field it does not name is not sent.
    expect(response.body).toEqual({ id: 'a b', size: '10', n: 3 });
    expect(response.headers['x-request-id']).toBe('req-1');
    expect(response.headers['x-extra']).toBe('yes');
    expect(seen.at(-1)!.rawBody.toString()).toBe('{"size":"10", "extra":true}');
    expect(seen.at(-1)!.url).toBe('/api/things/a%20b?n=3&x=1');
    expect((await post('/api/things/a').send('{"size":"1"}').expect(200)).body.n).toBe(5);
  });

  it("answers 503 with the request id in place of a handler that has not answered in time", async () => {
    const running = await listen(app, { port: 0, limits: { responseTimeoutMs: 200 } });
    try {
      const answer = await fetch(`${running.url}/api/hangs`, { headers: { 'x-request-id': 'req-late' } });
      expect([answer.status, answer.headers.get('x-request-id'), ((await answer.json()) as { code: string }).code]).toEqual([503, 'req-late', 'HTTP.TIMEOUT']);
    } finally {
      await running.close();
    }
  });

  it('refuses input the schema does not allow with a 400 naming the field', async () => {
    const refused = async (path: string, body: string): Promise<string> => {
      const response = await post(path).send(body).expect(400);
      expect(response.body.code).toBe('VALIDATION.INVALID_INPUT');
      return response.body.message;
    };
    expect(await refused('/api/things/a', '{}')).toBe('size is required');
    expect(await refused('/api/things/a', '{"size":1}')).toBe('size must be string');
    expect(await refused('/api/things/a', '{"size":"1e3"}')).toMatch(/^size must match pattern/);
    expect(await refused('/api/things/a', '[{"size":"1"}]')).toBe('the body must be a JSON object');
    for (const n of ['0', '01', '1e2', ' 2', '2.0', '', '99999999999999999']) expect(await refused(`/api/things/a?n=${n}`, '{"size":"1"}')).toBe('n must be a whole number from 1');
    expect(await refused('/api/things/a?n=1&n=2', '{"size":"1"}')).toBe('n must be a whole number from 1');
    expect(await refused(`/api/things/${'x'.repeat(21)}`, '{"size":"1"}')).toBe('thingId must NOT have more than 20 characters');
    expect(await refused('/api/things/a', '')).toBe('size is required');
    expect((await request(app).post('/api/things/a').send('size=1').expect(400)).body.message).toBe('the body must be a JSON object');
  });

  it('refuses bodies as express.json would: malformed, not an object or array, too large, encoded', async () => {
    expect((await post('/api/things/a').send('{"a":').expect(400)).body.code).toBe('HTTP.MALFORMED_JSON');
    expect((await post('/api/things/a').send('42').expect(400)).body.code).toBe('HTTP.MALFORMED_JSON');
    expect((await post('/api/things/a').send(JSON.stringify({ blob: 'x'.repeat(2000) })).expect(413)).body.code).toBe('HTTP.BODY_TOO_LARGE');
    await post('/api/things/a').set('content-encoding', 'gzip').send('{}').expect(415);
    await request(app).post('/api/things/a').set('content-type', 'application/json; charset=latin1').send('{}').expect(415);
    await request(app).post('/api/things/a%E0%A4%A').expect(400);
  });

  it('maps errors through the one table and hides internals', async () => {
    expect((await post('/api/things/missing').send('{"size":"1"}').expect(404)).body).toEqual({ message: 'thing not found', code: 'THING.NOT_FOUND' });
    expect((await post('/api/things/bug').send('{"size":"1"}').expect(500)).body).toEqual({ message: 'internal error', code: 'INTERNAL' });
  });

  it('serializes a cached answer once per version, with an ETag a poller can send back for a 304', async () => {
    produced = 0;
    const first = await request(app).get('/api/cached').expect(200);
    const second = await request(app).get('/api/cached').expect(200);
    expect(produced).toBe(1);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(first.body).toEqual({ version });
    await request(app).get('/api/cached').set('if-none-match', first.headers.etag!).expect(304);
    const head = await request(app).head('/api/cached').expect(200);
    expect(head.headers['content-length']).toBe(first.headers['content-length']);
    version++;
    const changed = await request(app).get('/api/cached').set('if-none-match', first.headers.etag!).expect(200);
    expect(changed.headers.etag).not.toBe(first.headers.etag);
    expect(produced).toBe(2);
  });

  it('leaves every other route to express', async () => {
    expect((await post('/api/other').send('{"a":1}').expect(200)).body).toEqual({ express: true, body: { a: 1 } });
    await request(app).get('/api/things/a').expect(404);
  });

  it('counts requests by route template', async () => {
    await post('/api/things/counted').send('{"size":"1"}').expect(200);
    expect((await metrics.expose()).body).toMatch(/http_requests_total\{method="POST",route="\/api\/things\/:thingId",status="200"\} \d/);
  });
});

describe('the API contract', () => {
  const routes = [
    defineRoute({
      method: 'GET',
      path: '/books/:id',
      summary: 'a book',
      tags: ['books'],
      security: 'signed-in',
      schema: {
        params: Type.Object({ id: Type.String() }),
        query: Type.Object({ depth: Type.Optional(Type.Integer({ description: 'levels', errorMessage: 'must be a number' })) }),
        response: Type.Object({ name: Type.String(), rows: Type.Array(Type.Tuple([Type.String(), Type.Integer()])) }),
      },
      handle: (request) => ({ name: request.params.id, rows: [['a', 1] as [string, number]] }),
    }),
  ];
  const security = { schemes: { bearer: { type: 'http', scheme: 'bearer' } }, signedIn: [{ bearer: [] }] };
  const app = createHttpApp({
    logger: silentLogger,
    api: { mountPath: '/api', routes, lanes: { 'GET /books/:id': 'fast' }, document: { title: 'Books', version: '1', security } },
    routes: () => undefined,
  });

  it('serves the OpenAPI 3.1 document generated from the routes', async () => {
    const { body: document } = await request(app).get('/api/openapi.json').expect(200);
    expect(document).toMatchObject({ openapi: '3.1.0', servers: [{ url: '/api' }], components: { securitySchemes: security.schemes } });
    const operation = document.paths['/books/{id}'].get;
    expect(operation).toMatchObject({ operationId: 'getBooksId', security: [{ bearer: [] }] });
    expect(operation.parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'depth', in: 'query', required: false, description: 'levels', schema: { type: 'integer' } },
    ]);
    // JSON Schema 2020-12: a tuple is prefixItems.
    expect(operation.responses['200'].content['application/json'].schema.properties.rows.items).toMatchObject({ prefixItems: [{ type: 'string' }, { type: 'integer' }], items: false });
  });

  it('serves a page to browse it from this origin', async () => {
    expect((await request(app).get('/api/docs/').expect(200)).text).toContain('swagger-ui');
    expect((await request(app).get('/api/docs/swagger-initializer.js').expect(200)).text).toContain('"/api/openapi.json"');
    await request(app).get('/api/docs/swagger-ui-bundle.js').expect(200);
  });

  it('checks answers against the document, and notices a renamed field, an undeclared status and an unknown route', async () => {
    const { body: document } = await request(app).get('/api/openapi.json');
    const checker = new OpenApiResponseChecker(document);
    expect(checker.check('GET', '/api/books/x?depth=1', 200, '{"name":"x","rows":[["a",1]]}')).toBeNull();
    expect(checker.check('GET', '/api/books/x', 404, '{"message":"no","code":"X"}')).toBeNull();
    expect(checker.check('GET', '/api/books/x', 200, '{"title":"x","rows":[]}')).toMatch(/must have required property 'name'/);
    expect(checker.check('GET', '/api/books/x', 200, '{"name":"x","rows":[["a","1"]]}')).toMatch(/rows\/0\/1 must be integer/);
    expect(checker.check('GET', '/api/books/x', 404, '{"error":"no"}')).toMatch(/required property 'message'/);
    expect(checker.check('GET', '/api/nothing', 200, '{}')).toMatch(/no such operation/);
    expect(checker.check('POST', '/api/books/x', 404, '{"message":"no","code":"HTTP.NOT_FOUND"}')).toBeNull();
  });

  it('refuses to start when the lane table does not name a route (a misspelt entry included)', () => {
    const api = (lanes: Record<string, Lane>) => () => createHttpApp({ logger: silentLogger, api: { mountPath: '/api', routes, lanes }, routes: () => undefined });
    expect(api({})).toThrow(/no lane for \[GET \/books\/:id\]/);
    expect(api({ 'GET /books/:ID': 'fast' })).toThrow(/no lane for \[GET \/books\/:id\]/);
    // A route the config leaves out may keep its entry.
    expect(api({ 'GET /books/:id': 'fast', 'POST /faucet': 'express' })).not.toThrow();
  });
});
