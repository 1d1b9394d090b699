import { Router } from 'express';
import request from 'supertest';
import { authenticate, cookieValue, principalOf } from '@sd/http/authenticate';
import { createHttpApp } from '@sd/http/http-app';
import { silentLogger } from '@sd/logging/logger';
import { createAuthFixture, type AuthFixture } from '../testing/auth-fixture';
import { signedHeaders } from '../testing/coinbase-client';
import { requirePermission } from './http/require-permission';

// kit/http's authentication adapter over this domain's authenticator, with the permission check of auth's delivery.
describe('authenticate / requirePermission middleware', () => {
  let fx: AuthFixture;
  let app: ReturnType<typeof createHttpApp>;
  let accessToken: string;

  beforeEach(async () => {
    fx = await createAuthFixture();
    fx.clock.nowMs = Date.now(); // signatures below are made with the real clock
    await fx.accounts.signUp({ email: 'carol@example.com', password: 'Password1' });
    accessToken = (await fx.accounts.logIn({ email: 'carol@example.com', password: 'Password1' })).accessToken;
    app = createHttpApp({
      logger: silentLogger,
      routes: (app) => {
        app.get('/api/whoami', authenticate(fx.authenticator), (_req, res) => void res.json(principalOf(res)));
        app.post('/api/orders', authenticate(fx.authenticator), requirePermission('trade'), (req, res) => void res.status(201).json(req.body));
        const mounted = Router();
        mounted.get('/fills', authenticate(fx.authenticator), (_req, res) => void res.json(principalOf(res)));
        app.use('/api', mounted);
      },
    });
  });
  afterEach(() => fx.close());

  const keyWith = async (permissions: string[]) => {
    const session = await fx.authenticator.authenticateToken(accessToken);
    return fx.apiKeys.create(session, { permissions });
  };

  it('accepts a bearer token or the accessToken cookie, and nothing else', async () => {
    const bearer = await request(app).get('/api/whoami').set('authorization', `Bearer ${accessToken}`).expect(200);
    expect(bearer.body).toMatchObject({ method: 'session', permissions: ['view', 'trade'] });
    await request(app).get('/api/whoami').set('cookie', `theme=dark; accessToken=${accessToken}`).expect(200);
    expect((await request(app).get('/api/whoami').expect(401)).body.code).toBe('AUTH.UNAUTHENTICATED');
    expect((await request(app).get('/api/whoami').set('authorization', `Basic ${accessToken}`).expect(401)).body.code).toBe('AUTH.INVALID_TOKEN');
    expect((await request(app).get('/api/whoami').set('authorization', 'Bearer nope').expect(401)).body.code).toBe('AUTH.INVALID_TOKEN');
  });

  it('lets a trade key trade and refuses a view key with 403', async () => {
    const body = { product_id: 'BTC-USD', side: 'buy', size: '0.01', price: '100' };
    const trader = await keyWith(['view', 'trade']);
    await request(app)
      .post('/api/orders')
      .set(signedHeaders(trader, { method: 'POST', requestPath: '/api/orders', body: JSON.stringify(body) }))
      .send(body)
      .expect(201, body);
    const viewer = await keyWith(['view']);
    const refused = await request(app)
      .post('/api/orders')
      .set(signedHeaders(viewer, { method: 'POST', requestPath: '/api/orders', body: JSON.stringify(body) }))
      .send(body)
      .expect(403);
    expect(refused.body.code).toBe('AUTH.PERMISSION_DENIED');
    const viewed = await request(app).get('/api/whoami?probe=1').set(signedHeaders(viewer, { method: 'GET', requestPath: '/api/whoami?probe=1' })).expect(200);
    expect(viewed.body).toMatchObject({ method: 'api_key', permissions: ['view'] });
  });

  it('refuses a signed request whose body or query was changed in transit', async () => {
    const trader = await keyWith(['trade']);
    const signedBody = JSON.stringify({ size: '0.01' });
    const tampered = await request(app)
      .post('/api/orders')
      .set(signedHeaders(trader, { method: 'POST', requestPath: '/api/orders', body: signedBody }))
      .send({ size: '100' })
      .expect(401);
    expect(tampered.body.code).toBe('AUTH.INVALID_SIGNATURE');
    await request(app)
      .get('/api/whoami?account=other')
      .set(signedHeaders(trader, { method: 'GET', requestPath: '/api/whoami?account=mine' }))
      .expect(401);
  });

  it('accepts a signature over the path a Coinbase client signs under its base URL, on mounted routers only', async () => {
    const trader = await keyWith(['trade']);
    await request(app).get('/api/fills?limit=5').set(signedHeaders(trader, { method: 'GET', requestPath: '/fills?limit=5' })).expect(200);
    await request(app).get('/api/fills?limit=5').set(signedHeaders(trader, { method: 'GET', requestPath: '/api/fills?limit=5' })).expect(200);
    await request(app).get('/api/fills?limit=5').set(signedHeaders(trader, { method: 'GET', requestPath: '/fills?limit=6' })).expect(401);
    await request(app).get('/api/whoami').set(signedHeaders(trader, { method: 'GET', requestPath: '/whoami' })).expect(401);
  });

  it('reads cookies defensively', () => {
    expect(cookieValue('a=1; accessToken=x%20y', 'accessToken')).toBe('x y');
    expect(cookieValue('accessTokenX=1', 'accessToken')).toBeUndefined();
    expect(cookieValue('accessToken=%E0%A4%A', 'accessToken')).toBeUndefined();
    expect(cookieValue(undefined, 'accessToken')).toBeUndefined();
  });
});
