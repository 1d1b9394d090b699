import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { exchangeConfigFromEnv } from './config';
import { startExchange, type RunningExchange } from './server';
import { ApiClient } from './testing/api-client';

jest.setTimeout(60_000);

/**
 * The web page authenticates with the `accessToken` cookie, which a browser attaches to what a
 * page of another site makes it send: the cookie's attributes, the same-origin check on
 * state-changing requests and WebSocket upgrades that use it, and the standard headers.
 */
describe('cookie-authenticated requests from other sites', () => {
  let dataDir: string;
  let exchange: RunningExchange;
  let cookie: string;
  let setCookie: string;
  let host: string;
  const order = JSON.stringify({ product_id: 'BTC-USDT', side: 'buy', type: 'limit', price: '90', size: '0.02' });

  const post = (path: string, headers: Record<string, string>, body = order): Promise<Response> =>
    fetch(`${exchange.url}/api${path}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, ...headers }, body });
  const openOrders = async (client: ApiClient): Promise<number> => (await client.expectOk<unknown[]>('GET', '/orders?status=open')).length;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sd-cross-site-'));
    exchange = await startExchange(exchangeConfigFromEnv({ DATA_DIR: dataDir, DEMO_MARKET: 'off', PORT: '0', LOG_LEVEL: 'silent', JOURNAL_FSYNC: 'none' }));
    host = new URL(exchange.url).host;
    const client = new ApiClient(exchange.url);
    await client.signUp('page@example.com');
    await client.expectOk('POST', '/faucet', { currency: 'USDT', amount: '1000' });
    const login = await fetch(`${exchange.url}/api/users/accessToken`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'page@example.com', password: 'correct horse battery staple' }),
    });
    setCookie = login.headers.get('set-cookie') ?? '';
    cookie = setCookie.split(';')[0]!;
  });

  afterAll(async () => {
    await exchange?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('sets the cookie HttpOnly and SameSite=Strict, and Secure only over TLS or with COOKIE_SECURE', () => {
    expect(cookie).toMatch(/^accessToken=.+/);
    expect(setCookie).toMatch(/; HttpOnly/i);
    expect(setCookie).toMatch(/; SameSite=Strict/i);
    expect(setCookie).not.toMatch(/; Secure/i); // plain HTTP on loopback
  });

  it('marks it Secure when the request came over TLS through a trusted proxy', async () => {
    const login = await fetch(`${exchange.url}/api/users/accessToken`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
      body: JSON.stringify({ email: 'page@example.com', password: 'correct horse battery staple' }),
    });
    expect(login.headers.get('set-cookie')).toMatch(/; Secure/i);
  });

  it('refuses a state-changing request with the cookie from another site (Sec-Fetch-Site or Origin), and changes nothing', async () => {
    const client = Object.assign(new ApiClient(exchange.url), { token: cookie.slice('accessToken='.length) });
    const before = await openOrders(client);
    const fromOtherSites: Array<Record<string, string>> = [
      { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
      { 'sec-fetch-site': 'same-site', origin: `http://evil.${host}` },
      { origin: 'https://evil.example' },
      { origin: 'null' },
    ];
    for (const headers of fromOtherSites) {
      const answer = await post('/orders', headers);
      expect([answer.status, ((await answer.json()) as { code: string }).code]).toEqual([403, 'AUTH.CROSS_SITE']);
    }
    expect(await openOrders(client)).toBe(before);
    // Reads with the cookie are not refused: a cross-site link may open the page's data, which the other site cannot see.
    expect((await fetch(`${exchange.url}/api/orders`, { headers: { cookie, 'sec-fetch-site': 'cross-site' } })).status).toBe(200);
  });

  it('takes the same request from the page itself, from a client without browser headers, and with a bearer token from anywhere', async () => {
    const client = Object.assign(new ApiClient(exchange.url), { token: cookie.slice('accessToken='.length) });
    const before = await openOrders(client);
    expect((await post('/orders', { 'sec-fetch-site': 'same-origin', origin: exchange.url })).status).toBe(200);
    expect((await post('/orders', { origin: exchange.url })).status).toBe(200);
    expect((await post('/orders', {})).status).toBe(200);
    const bearer = { authorization: `Bearer ${cookie.slice('accessToken='.length)}`, cookie: '', 'sec-fetch-site': 'cross-site', origin: 'https://tool.example' };
    expect((await post('/orders', bearer)).status).toBe(200);
    expect(await openOrders(client)).toBe(before + 4);
  });

  it("refuses a WebSocket's private channels authenticated by the cookie of another site's upgrade", async () => {
    const subscribeUser = async (origin: string): Promise<{ type: string; code?: string }> => {
      const socket = new WebSocket(`${exchange.url.replace('http', 'ws')}/ws`, { headers: { cookie, origin } });
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      const answer = new Promise<{ type: string; code?: string }>((resolve) => socket.once('message', (data: Buffer) => resolve(JSON.parse(data.toString()) as { type: string })));
      socket.send(JSON.stringify({ type: 'subscribe', product_ids: ['BTC-USDT'], channels: ['user'] }));
      const message = await answer;
      socket.close();
      return message;
    };
    expect(await subscribeUser('https://evil.example')).toMatchObject({ type: 'error', code: 'AUTH.CROSS_SITE' });
    expect(await subscribeUser(exchange.url)).toMatchObject({ type: 'subscriptions' });
  });

  it('sends the standard security headers with the page and the API', async () => {
    for (const path of ['/', '/api/products']) {
      const answer = await fetch(`${exchange.url}${path}`);
      expect(answer.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
      expect(answer.headers.get('content-security-policy')).not.toMatch(/upgrade-insecure-requests/);
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
      expect(answer.headers.get('strict-transport-security')).toMatch(/max-age=/);
    }
  });
});
