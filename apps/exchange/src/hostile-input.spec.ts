/* eslint-disable @typescript-eslint/no-explicit-any -- hostile payloads and answers are arbitrary JSON */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { exchangeConfigFromEnv } from './config';
import { startExchange, type RunningExchange } from './server';
import { ApiClient } from './testing/api-client';
import { ContractRecorder } from './testing/contract';
import { Prng, seedFrom } from '@sd/exchange/testing/prng';

jest.setTimeout(180_000);

// Replay a failure with HOSTILE_SEED=<seed printed in the test names>.
const SEED = seedFrom(process.env, 'HOSTILE_SEED', 20261122);
const ORDER_CASES = 400;
const QUERY_CASES = 200;
const WS_FRAMES = 300;

interface RawAnswer {
  status: number;
  text: string;
}

/** One hostile request and what came back; a fetch that failed outright is status 0. */
interface Outcome {
  name: string;
  status: number;
  text: string;
}

const WRONG_TYPES: unknown[] = [true, false, 0, 1, -1, [], ['x'], {}, { $gt: '' }, [[]]];
/** Never a valid price, size or funds for any product, whatever the rest of the order says. */
const BAD_AMOUNTS: unknown[] = [
  ...WRONG_TYPES,
  null,
  100,
  0.1,
  1e3,
  -5,
  1e308,
  'NaN',
  'Infinity',
  '-Infinity',
  '1e3',
  '1E3',
  '1e-2',
  '0x10',
  '0b1',
  ' 100',
  '100 ',
  '+100',
  '-100',
  '-0.1',
  '0',
  '0.0',
  '0.00000000',
  '',
  '.5',
  '5.',
  '1,5',
  '1_000',
  '١٠٠',
  '100\u0000',
  '100.0000000001',
  '0.1000000001',
  '99999999999999999999',
  '9'.repeat(30),
  '9'.repeat(41),
  '1'.repeat(5000),
];
const BAD_ENUM_TEXT = ['BUY', 'Buy', '', ' buy', 'sell ', 'bid', 'ask', 'LIMIT', 'stop', 'gtc', 'GTD', 'DC', 'xx', '__proto__', 'constructor', 'toString', 'x'.repeat(1000)];
const BAD_PRODUCTS: unknown[] = [
  ...WRONG_TYPES,
  null,
  'DOGE-USDT',
  'btc-usdt',
  'BTC_USDT',
  'BTCUSDT',
  'USDT-BTC',
  '',
  ' BTC-USDT',
  'BTC-USDT ',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'BTC-USDT\u0000',
  ['BTC-USDT'],
  { id: 'BTC-USDT' },
  'x'.repeat(10_000),
];

/** Hostile values per order field; a defaulted field never gets null, which means "absent". */
const HOSTILE: Record<string, unknown[]> = {
  product_id: BAD_PRODUCTS,
  side: [...WRONG_TYPES, null, ...BAD_ENUM_TEXT],
  type: [...WRONG_TYPES, ...BAD_ENUM_TEXT],
  price: BAD_AMOUNTS,
  size: BAD_AMOUNTS,
  time_in_force: [...WRONG_TYPES, ...BAD_ENUM_TEXT],
  stp: [...WRONG_TYPES, ...BAD_ENUM_TEXT],
  post_only: ['true', 'false', 1, 0, '', [], {}, 'yes'],
  client_oid: ['', 'x'.repeat(129), 0, 1, true, [], ['a'], {}],
};

/** Valid orders; every case corrupts at least one field, so none of them may ever reach the book. */
const BASES: Array<{ fields: Record<string, unknown>; corruptible: string[] }> = [
  {
    fields: { product_id: 'BTC-USDT', side: 'buy', type: 'limit', price: '100', size: '0.1', time_in_force: 'GTC', stp: 'dc', post_only: true, client_oid: 'c-1' },
    corruptible: ['product_id', 'side', 'type', 'price', 'size', 'time_in_force', 'stp', 'post_only', 'client_oid', 'funds'],
  },
  {
    fields: { product_id: 'ETH-USDT', side: 'sell', type: 'limit', price: '5000', size: '0.5' },
    corruptible: ['product_id', 'side', 'type', 'price', 'size', 'time_in_force', 'stp', 'post_only', 'client_oid', 'funds'],
  },
  // A market order with any price, or funds on a sell, or both funds and size, is invalid.
  { fields: { product_id: 'BTC-USDT', side: 'buy', type: 'market', funds: '50' }, corruptible: ['product_id', 'side', 'price', 'funds', 'size', 'time_in_force', 'stp', 'post_only', 'client_oid'] },
  { fields: { product_id: 'BTC-USDT', side: 'sell', type: 'market', size: '0.01' }, corruptible: ['product_id', 'side', 'price', 'size', 'funds', 'time_in_force', 'stp', 'post_only', 'client_oid'] },
];
HOSTILE.funds = BAD_AMOUNTS;

/** Fields a careless parser might trust: who the order is for, its fee, its state. */
function noiseFields(random: Prng, otherUserId: string): Record<string, unknown> {
  const noise: Record<string, unknown> = { user_id: otherUserId, userId: otherUserId, fee: '0', fill_fees: '-100', status: 'done', id: '1', filled_size: '1', maker_fee_rate: '-1' };
  return Object.fromEntries(random.sample(Object.entries(noise), random.int(1, 4)));
}

describe(`hostile input against the embedded exchange (seed ${SEED})`, () => {
  let dataDir: string;
  let exchange: RunningExchange;
  let victim: ApiClient;
  let other: ApiClient;
  let otherUserId: string;
  let otherOrder: { id: string; client_oid: string };
  let victimOrder: { id: string };
  let before: { victim: unknown; other: unknown; victimOpen: unknown; otherOpen: unknown; books: unknown[] };
  const random = new Prng(SEED);
  const contract = new ContractRecorder();

  async function raw(method: string, path: string, init: { body?: string | Buffer; headers?: Record<string, string>; token?: string | null } = {}): Promise<RawAnswer> {
    const token = init.token === undefined ? victim.token : init.token;
    try {
      const response = await fetch(`${exchange.url}${path}`, {
        method,
        headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...init.headers },
        body: init.body,
      });
      const answer = { status: response.status, text: await response.text() };
      contract.record(method, path, answer.status, answer.text);
      return answer;
    } catch (error) {
      return { status: 0, text: String((error as Error).cause ?? error) };
    }
  }

  const json = (method: string, path: string, body: unknown): Promise<RawAnswer> =>
    raw(method, path, { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

  /** Runs the cases a few at a time, as concurrent clients would. */
  async function runAll(cases: Array<{ name: string; send: () => Promise<RawAnswer> }>): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < cases.length) {
        const one = cases[next++]!;
        outcomes.push({ name: one.name, ...(await one.send()) });
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    return outcomes;
  }

  /** Every answer a 4xx whose JSON body says why. */
  function notRefused(outcomes: Outcome[]): Array<Outcome & { why: string }> {
    const wrong: Array<Outcome & { why: string }> = [];
    for (const outcome of outcomes) {
      const text = outcome.text.slice(0, 200);
      if (outcome.status < 400 || outcome.status >= 500) {
        wrong.push({ ...outcome, text, why: 'not a 4xx' });
        continue;
      }
      try {
        if (typeof JSON.parse(outcome.text).message !== 'string') wrong.push({ ...outcome, text, why: 'no message' });
      } catch {
        wrong.push({ ...outcome, text, why: 'body is not JSON' });
      }
    }
    return wrong;
  }

  const state = async (): Promise<typeof before> => ({
    victim: await victim.balances(),
    other: await other.balances(),
    victimOpen: await victim.expectOk('GET', '/orders?status=open'),
    otherOpen: await other.expectOk('GET', '/orders?status=open'),
    books: await Promise.all(['BTC-USDT', 'ETH-USDT', 'ETH-BTC'].map((id) => victim.expectOk('GET', `/products/${id}/book?level=3`).then((book) => [book.bids, book.asks]))),
  });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sd-hostile-'));
    // A high order rate limit, so what refuses a case is its content, not a 429.
    const config = exchangeConfigFromEnv({ DATA_DIR: dataDir, DEMO_MARKET: 'off', PORT: '0', LOG_LEVEL: 'silent', ORDERS_PER_SECOND_PER_USER: '1000000', JOURNAL_FSYNC: 'none' });
    exchange = await startExchange(config);
    victim = new ApiClient(exchange.url, contract);
    other = new ApiClient(exchange.url, contract);
    await victim.signUp('victim@example.com');
    otherUserId = await other.signUp('other@example.com');
    for (const [currency, amount] of [['BTC', '10'], ['USDT', '100000'], ['ETH', '50']]) {
      await victim.expectOk('POST', '/faucet', { currency, amount });
      await other.expectOk('POST', '/faucet', { currency, amount });
    }
    // Resting orders on both sides, so a hostile order that slipped through would trade or cancel something.
    otherOrder = await other.expectOk('POST', '/orders', { product_id: 'BTC-USDT', side: 'sell', type: 'limit', price: '101', size: '1', client_oid: 'other-ask' });
    await other.expectOk('POST', '/orders', { product_id: 'ETH-USDT', side: 'buy', type: 'limit', price: '4000', size: '1' });
    victimOrder = await victim.expectOk('POST', '/orders', { product_id: 'BTC-USDT', side: 'buy', type: 'limit', price: '99', size: '1', client_oid: 'victim-bid' });
    before = await state();
  });

  afterAll(async () => {
    await exchange?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  afterEach(async () => {
    // Whatever a case sent, the process answers and nothing moved.
    expect((await raw('GET', '/api/health', { token: null })).status).toBe(200);
    expect(await state()).toEqual(before);
  });

  it(`refuses ${ORDER_CASES} generated orders with one to three corrupted fields`, async () => {
    const cases = Array.from({ length: ORDER_CASES }, (_, index) => {
      const base = random.pick(BASES);
      const order: Record<string, unknown> = { ...base.fields };
      const corrupted = random.sample(base.corruptible, random.int(1, 3));
      for (const field of corrupted) order[field] = random.pick(HOSTILE[field]!);
      if (random.next() < 0.3) Object.assign(order, noiseFields(random, otherUserId));
      const body = random.next() < 0.1 ? [order] : random.next() < 0.05 ? { order } : order;
      return { name: `#${index} ${JSON.stringify(body).slice(0, 160)}`, send: () => json('POST', '/api/orders', body) };
    });
    expect(notRefused(await runAll(cases))).toEqual([]);
  });

  it('refuses malformed, oversized, mistyped and mis-encoded request bodies', async () => {
    const valid = JSON.stringify(BASES[0]!.fields);
    const bodies: Array<[string, string | Buffer, Record<string, string>?]> = [
      ['empty', ''],
      ['truncated', valid.slice(0, -5)],
      ['open brace', '{'],
      ['trailing comma', '{"product_id":"BTC-USDT",}'],
      ['single quotes', "{'product_id':'BTC-USDT'}"],
      ['NaN literal', '{"product_id":"BTC-USDT","side":"buy","price":NaN,"size":"1"}'],
      ['Infinity literal', '{"product_id":"BTC-USDT","side":"buy","price":Infinity,"size":"1"}'],
      ['1e999 overflows to Infinity', '{"product_id":"BTC-USDT","side":"buy","type":"limit","price":1e999,"size":"1"}'],
      ['negative zero', '{"product_id":"BTC-USDT","side":"buy","type":"limit","price":-0,"size":"1"}'],
      ['duplicate key, last one bad', valid.replace('"price":"100"', '"price":"100","price":"1e3"')],
      ['null', 'null'],
      ['true', 'true'],
      ['number', '42'],
      ['string', '"order"'],
      ['empty array', '[]'],
      ['array of the order', `[${valid}]`],
      ['nested 5000 deep array', '['.repeat(5000) + ']'.repeat(5000)],
      ['nested 2000 deep object', '{"a":'.repeat(2000) + '1' + '}'.repeat(2000)],
      ['price through __proto__', '{"product_id":"BTC-USDT","side":"buy","type":"limit","size":"0.1","__proto__":{"price":"100"}}'],
      ['constructor.prototype', '{"product_id":"BTC-USDT","side":"buy","type":"limit","size":"0.1","constructor":{"prototype":{"price":"100"}}}'],
      ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])],
      ['BOM then garbage', '\uFEFF{garbage'],
      ['NUL bytes', '\u0000\u0000\u0000'],
      ['17 KiB', JSON.stringify({ ...BASES[0]!.fields, pad: 'x'.repeat(17 * 1024) })],
      ['1 MiB', JSON.stringify({ pad: 'x'.repeat(1024 * 1024) })],
      ['8 MiB of brackets', '['.repeat(8 * 1024 * 1024)],
      ['the order as text/plain', valid, { 'content-type': 'text/plain' }],
      ['the order as form data', 'product_id=BTC-USDT&side=buy&type=limit&price=100&size=0.1', { 'content-type': 'application/x-www-form-urlencoded' }],
      ['latin1 charset', valid, { 'content-type': 'application/json; charset=latin1' }],
      ['unsupported encoding', valid, { 'content-type': 'application/json', 'content-encoding': 'compress' }],
      ['gzip body that does not decompress', valid, { 'content-type': 'application/json', 'content-encoding': 'gzip' }],
      ['br body that does not decompress', valid, { 'content-type': 'application/json', 'content-encoding': 'br' }],
    ];
    const cases = bodies.flatMap(([name, body, headers]) =>
      ['/api/orders', '/api/faucet'].map((path) => ({
        name: `${path} ${name}`,
        send: () => raw('POST', path, { body, headers: headers ?? { 'content-type': 'application/json' } }),
      })),
    );
    expect(notRefused(await runAll(cases))).toEqual([]);
  });

  it('ignores unknown fields on an otherwise valid order: it is the caller’s, with their fields, and cancels cleanly', async () => {
    const placed = await victim.expectOk('POST', '/orders', {
      product_id: 'BTC-USDT', side: 'buy', type: 'limit', price: '50', size: '0.2', client_oid: 'with-noise',
      user_id: otherUserId, userId: otherUserId, fee: '0', maker_fee_rate: '-1', status: 'done', filled_size: '0.2', id: otherOrder.id, hold: '0',
    });
    expect(placed).toMatchObject({ status: 'open', price: '50.000000', size: '0.20000000', filled_size: '0.00000000', client_oid: 'with-noise' });
    expect(placed.id).not.toBe(otherOrder.id);
    expect((await other.request('GET', `/orders/${placed.id}`)).status).toBe(404);
    expect((await victim.balances()).USDT!.hold).not.toBe((before.victim as any).USDT.hold);
    expect(await victim.expectOk('DELETE', `/orders/${placed.id}`)).toBe(placed.id);
  });

  it('refuses faucet calls with bad amounts and currencies', async () => {
    const amounts = [...BAD_AMOUNTS, '1000001', '1000000.0000001'];
    const currencies: unknown[] = [...WRONG_TYPES, null, 'DOGE', 'btc', '', ' BTC', '__proto__', 'constructor', 'x'.repeat(5000)];
    const cases = [
      ...amounts.map((amount) => ({ name: `amount ${JSON.stringify(amount).slice(0, 60)}`, send: () => json('POST', '/api/faucet', { currency: 'BTC', amount }) })),
      ...currencies.map((currency) => ({ name: `currency ${JSON.stringify(currency).slice(0, 60)}`, send: () => json('POST', '/api/faucet', { currency, amount: '1' }) })),
    ];
    expect(notRefused(await runAll(cases))).toEqual([]);
  });

  it('refuses withdrawals with bad amounts, currencies and addresses, and moves nothing', async () => {
    const before = await victim.balances();
    // A JSON number is a valid amount here (ccxt sends one) when it is positive and on the currency's scale.
    const amounts = [...BAD_AMOUNTS.filter((amount) => typeof amount !== 'number' || !(amount > 0)), 1e-9, 1e21, 0.123456789, '100000000'];
    const currencies: unknown[] = [...WRONG_TYPES, null, 'DOGE', 'btc', '', '__proto__', 'x'.repeat(5000)];
    const addresses: unknown[] = [...WRONG_TYPES, null, '', 'has space', 'tab\there', 'x'.repeat(129), 'é', '\u0000'];
    const send = (body: Record<string, unknown>) => () => json('POST', '/api/withdrawals/crypto', { currency: 'BTC', amount: '0.001', crypto_address: '0xabc', ...body });
    const cases = [
      ...amounts.map((amount) => ({ name: `amount ${JSON.stringify(amount).slice(0, 60)}`, send: send({ amount }) })),
      ...currencies.map((currency) => ({ name: `currency ${JSON.stringify(currency).slice(0, 60)}`, send: send({ currency }) })),
      ...addresses.map((address) => ({ name: `address ${JSON.stringify(address).slice(0, 60)}`, send: send({ crypto_address: address }) })),
    ];
    expect(notRefused(await runAll(cases))).toEqual([]);
    expect(await victim.balances()).toEqual(before);
  });

  it(`refuses ${QUERY_CASES} generated bad query strings, path ids and credentials`, async () => {
    const badQuery: Record<string, string[]> = {
      level: ['0', '4', '1.0', '', ' 1', '01', '-1', '1e0', 'two', '2&level=3'],
      limit: ['0', '1001', '-1', '1e2', 'abc', '', '10.5', '99999', '1&limit=2', '%00'],
      after: ['-1', 'abc', '1.5', '1e3', '', '99999999999999999', '1&after=2', '1&before=2'],
      before: ['-1', 'abc', '1.5', '1e3', '', '0', '99999999999999999', '1&before=2'],
      type: ['x', 'DEPOSIT', '', 'deposit&type=x', 'withdrawal'],
      granularity: ['0', '61', '-60', '1e2', 'abc', '', '60.0', '99999999999999999', '86401', '60&granularity=300'],
      start: ['abc', '2020-13-45T00:00:00Z', '', 'NaN', '1e10', 'now', '0x10', 'Infinity', '1&start=2'],
      end: ['abc', '2020-13-45T00:00:00Z', '', 'NaN', '1e10', 'now', '0x10', 'Infinity'],
      // Repeating status is Coinbase's (open&status=done is valid); a bad value among them is not.
      status: ['OPEN', 'x', '', 'open&status=x', 'rejected%20'],
      product_id: ['', 'x'.repeat(65), 'a&product_id=b'],
      order_id: ['abc', '-1', '1.5', '', '1e3', '99999999999999999'],
    };
    const routes: Array<{ path: string; params: string[]; valid: Record<string, string>; method?: string }> = [
      { path: '/api/products/BTC-USDT/book', params: ['level'], valid: {} },
      { path: '/api/products/BTC-USDT/trades', params: ['limit', 'after'], valid: { limit: '10', after: '1' } },
      { path: '/api/products/ETH-USDT/candles', params: ['granularity', 'start', 'end'], valid: { granularity: '300', start: '1700000000', end: '1800000000' } },
      { path: '/api/orders', params: ['status', 'product_id', 'limit', 'after'], valid: { status: 'open', product_id: 'BTC-USDT', limit: '10' } },
      { path: '/api/fills', params: ['order_id', 'product_id', 'limit', 'after'], valid: { product_id: 'BTC-USDT', limit: '5' } },
      { path: '/api/accounts/USDT/ledger', params: ['limit', 'after', 'before'], valid: { limit: '10' } },
      { path: '/api/accounts/BTC/holds', params: ['limit', 'before'], valid: {} },
      { path: '/api/transfers', params: ['type', 'limit', 'after', 'before'], valid: { type: 'deposit' } },
      { path: '/api/orders', method: 'DELETE', params: ['product_id'], valid: {} },
    ];
    const generated = Array.from({ length: QUERY_CASES }, (_, index) => {
      const route = random.pick(routes);
      const hostile = random.sample(route.params, random.int(1, route.params.length));
      const query = Object.entries(route.valid)
        .filter(([name]) => !hostile.includes(name))
        .map(([name, value]) => `${name}=${value}`)
        .concat(hostile.map((name) => `${name}=${random.pick(badQuery[name]!)}`));
      const url = `${route.path}?${random.sample(query, query.length).join('&')}`;
      return { name: `#${index} ${route.method ?? 'GET'} ${url.slice(0, 160)}`, send: () => raw(route.method ?? 'GET', url) };
    });
    // DELETE /api/orders?product_id=<unknown> must not cancel everything.
    for (const product of ['DOGE-USDT', 'btc-usdt', '__proto__', 'constructor']) {
      generated.push({ name: `cancel all of ${product}`, send: () => raw('DELETE', `/api/orders?product_id=${product}`) });
    }

    const badIds = ['0', '-1', 'abc', '1e3', '1.5', '99999999999999999999', '9007199254740993', 'client:', `client:${'x'.repeat(200)}`, '%00', '..%2F..%2Faccounts', '%2e%2e', '%201', '%ZZ', '%E0%A4%A', 'client:other-ask', 'client:%00'];
    const paths = [
      ...badIds.flatMap((id) => ['GET', 'DELETE'].map((method) => ({ method, path: `/api/orders/${id}` }))),
      // Someone else's order, by id: invisible and not cancellable.
      { method: 'GET', path: `/api/orders/${otherOrder.id}` },
      { method: 'DELETE', path: `/api/orders/${otherOrder.id}` },
      ...['DOGE-USDT', 'btc-usdt', '__proto__', 'constructor', '%00', 'x'.repeat(300)].flatMap((id) =>
        ['', '/book?level=2', '/ticker', '/trades', '/candles', '/stats'].map((suffix) => ({ method: 'GET', path: `/api/products/${id}${suffix}` })),
      ),
      ...['DOGE', '__proto__', 'constructor', 'btc', '%00'].map((currency) => ({ method: 'GET', path: `/api/accounts/${currency}` })),
    ];
    const pathCases = paths.map(({ method, path }) => ({ name: `${method} ${path.slice(0, 120)}`, send: () => raw(method, path) }));

    const body = JSON.stringify({ product_id: 'BTC-USDT', side: 'buy', type: 'limit', price: '100', size: '0.1' });
    const credentials: Array<Record<string, string>> = [
      { authorization: 'Bearer' },
      { authorization: 'Bearer x' },
      { authorization: `Bearer ${'a'.repeat(7000)}` },
      { authorization: 'Basic Zm9vOmJhcg==' },
      { authorization: 'Bearer null' },
      { authorization: `Bearer ${[...'header.payload.signature'].reverse().join('')}` },
      { cookie: 'accessToken=garbage' },
      { cookie: `accessToken=${'%'.repeat(100)}` },
      { 'cb-access-key': 'k', 'cb-access-sign': 's', 'cb-access-timestamp': 'NaN', 'cb-access-passphrase': 'p' },
      { 'cb-access-key': 'x'.repeat(4000), 'cb-access-sign': '', 'cb-access-timestamp': String(Date.now() / 1000), 'cb-access-passphrase': '' },
    ];
    const credentialCases = credentials.flatMap((headers, index) => [
      { name: `credentials #${index} GET accounts`, send: () => raw('GET', '/api/accounts', { token: null, headers }) },
      { name: `credentials #${index} POST orders`, send: () => raw('POST', '/api/orders', { token: null, body, headers: { ...headers, 'content-type': 'application/json' } }) },
      { name: `credentials #${index} DELETE orders`, send: () => raw('DELETE', '/api/orders', { token: null, headers }) },
    ]);

    const signUps: Array<Record<string, unknown>> = [
      ...WRONG_TYPES.map((email) => ({ email, password: 'correct horse battery staple' })),
      ...[...WRONG_TYPES, null, ''].map((password) => ({ email: 'fuzz@example.com', password })),
      { email: '', password: 'correct horse battery staple' },
      { email: 'no-at-sign', password: 'correct horse battery staple' },
      { email: `${'x'.repeat(10_000)}@example.com`, password: 'correct horse battery staple' },
      { email: 'victim@example.com', password: 'correct horse battery staple' },
    ];
    const signUpCases = signUps.map((credentials, index) => ({ name: `sign-up #${index}`, send: () => json('POST', '/api/users', credentials) }));

    expect(notRefused(await runAll([...generated, ...pathCases, ...credentialCases, ...signUpCases]))).toEqual([]);
    expect(await other.expectOk('GET', `/orders/${otherOrder.id}`)).toMatchObject({ status: 'open' });
    expect(await victim.expectOk('GET', `/orders/${victimOrder.id}`)).toMatchObject({ status: 'open' });
  });

  it('answered every hostile request as the OpenAPI document it serves says', async () => {
    expect(contract.count).toBeGreaterThan(800);
    expect(contract.mismatches(await ContractRecorder.documentOf(exchange.url))).toEqual([]);
  });

  describe('WebSocket', () => {
    const open = async (): Promise<{ socket: WebSocket; frames: any[]; closed: Promise<number> }> => {
      const socket = new WebSocket(`${exchange.url.replace('http', 'ws')}/ws`);
      const frames: any[] = [];
      socket.on('message', (data) => frames.push(JSON.parse(data.toString())));
      const closed = new Promise<number>((resolve) => socket.once('close', resolve));
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      return { socket, frames, closed };
    };
    const until = async (check: () => boolean, what: () => string, timeoutMs = 20_000): Promise<void> => {
      const deadline = Date.now() + timeoutMs;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };

    it(`answers each of ${WS_FRAMES} generated hostile frames with one error frame and stays usable`, async () => {
      const client = await open();
      const goodProducts = ['BTC-USDT', 'ETH-USDT', 'ETH-BTC'];
      const badProductLists: unknown[] = ['BTC-USDT', [1], ['DOGE-USDT'], ['__proto__'], ['btc-usdt'], [null], [['BTC-USDT']], { 0: 'BTC-USDT' }, 7];
      const badChannelLists: unknown[] = [[], 'level2', ['nope'], ['LEVEL2'], [null], [{}], [{ name: 'level2', product_ids: ['DOGE'] }], [{ name: 'matches', product_ids: 'BTC-USDT' }], [42], ['__proto__'], undefined];
      const fixed: Array<string | Buffer> = [
        Buffer.from([0, 1, 2, 3]),
        Buffer.from(JSON.stringify({ type: 'subscribe', product_ids: ['BTC-USDT'], channels: ['ticker'] })),
        'not json',
        '',
        '[]',
        'null',
        '1',
        '"subscribe"',
        '{}',
        '{"type":"hello"}',
        '{"type":"SUBSCRIBE","product_ids":["BTC-USDT"],"channels":["ticker"]}',
        '{"type":["subscribe"],"product_ids":["BTC-USDT"],"channels":["ticker"]}',
        '{"type":"subscribe","product_ids":["BTC-USDT"],"channels":["ticker"]',
        '['.repeat(4000) + ']'.repeat(4000),
      ];
      const generated = Array.from({ length: WS_FRAMES - fixed.length }, () => {
        const kind = random.int(0, 2);
        const type = random.pick(['subscribe', 'unsubscribe']);
        if (kind === 0) return JSON.stringify({ type, product_ids: random.pick(badProductLists), channels: ['ticker', 'level2'] });
        if (kind === 1) return JSON.stringify({ type, product_ids: random.sample(goodProducts, random.int(1, 3)), channels: random.pick(badChannelLists) });
        // A private channel with no credentials or wrong ones (only a subscribe needs them).
        const auth = random.pick([{}, { token: 'garbage' }, { token: 12345 }, { token: victim.token!.slice(0, -2) }, { key: 'k', passphrase: 'p', timestamp: 'NaN', signature: 'x' }]);
        return JSON.stringify({ type: 'subscribe', product_ids: random.sample(goodProducts, random.int(1, 3)), channels: [random.pick(['user', 'funds']), 'ticker'], ...auth });
      });
      const frames = [...fixed, ...generated];
      for (const frame of frames) client.socket.send(frame);
      await until(
        () => client.frames.filter((f) => f.type === 'error').length >= frames.length,
        () => `${frames.length} error frames, got ${client.frames.filter((f) => f.type === 'error').length}`,
      );
      expect(client.frames.filter((f) => f.type !== 'error')).toEqual([]);
      expect(client.frames.every((f) => typeof f.message === 'string' && typeof f.code === 'string')).toBe(true);

      client.socket.send(JSON.stringify({ type: 'subscribe', product_ids: ['BTC-USDT'], channels: ['level2'] }));
      await until(() => client.frames.some((f) => f.type === 'subscriptions'), () => 'subscriptions');
      expect(client.frames.find((f) => f.type === 'snapshot')).toMatchObject({ product_id: 'BTC-USDT', bids: [['99.000000', '1.00000000']] });
      client.socket.close();
    });

    it('closes a connection that sends a frame over the size bound (1009), and nothing else', async () => {
      const client = await open();
      const bystander = await open();
      client.socket.send(JSON.stringify({ type: 'subscribe', product_ids: ['BTC-USDT'], channels: ['x'.repeat(64 * 1024)] }));
      expect(await client.closed).toBe(1009);
      bystander.socket.send(JSON.stringify({ type: 'subscribe', product_ids: ['ETH-USDT'], channels: ['ticker'] }));
      await until(() => bystander.frames.some((f) => f.type === 'subscriptions'), () => 'subscriptions on the other socket');
      bystander.socket.close();
    });

    it('takes thousands of subscribes on one socket and hundreds of sockets without growing per-socket state', async () => {
      const client = await open();
      const products = ['BTC-USDT', 'ETH-USDT', 'ETH-BTC'];
      const count = 3000;
      for (let i = 0; i < count; i++) {
        client.socket.send(JSON.stringify({ type: 'subscribe', product_ids: [products[i % 3]], channels: ['level2', 'ticker', 'matches', { name: 'heartbeat', product_ids: products }] }));
      }
      await until(() => client.frames.filter((f) => f.type === 'subscriptions').length >= count, () => `${count} subscriptions answers`);
      const last = client.frames.filter((f) => f.type === 'subscriptions').at(-1);
      // Repeats change nothing: each channel once per product, one book snapshot per product.
      expect(last.channels.map((c: { name: string; product_ids: string[] }) => [c.name, [...c.product_ids].sort()]).sort()).toEqual(
        ['heartbeat', 'level2', 'matches', 'ticker'].map((name) => [name, [...products].sort()]),
      );
      expect(client.frames.filter((f) => f.type === 'snapshot')).toHaveLength(3);
      client.socket.close();

      const many = await Promise.all(Array.from({ length: 200 }, open));
      for (const one of many) one.socket.send(JSON.stringify({ type: 'subscribe', product_ids: products, channels: ['level2'] }));
      await until(() => many.every((one) => one.frames.some((f) => f.type === 'subscriptions')), () => 'every socket subscribed');
      for (const one of many) one.socket.terminate();
    });
  });
});
