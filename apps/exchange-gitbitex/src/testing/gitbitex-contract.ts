/* eslint-disable @typescript-eslint/no-explicit-any -- frames are arbitrary JSON asserted field by field */
import Big from 'big.js';
import { ContractRecorder } from '@sd/app-exchange/testing/contract';
import { GitbitexClient, type PageSocket } from './gitbitex-client';

/** Where the suite runs the page's calls: one or more API endpoints of one exchange (several in distributed mode). */
export interface GitbitexUnderTest {
  /** `http://host:port` of each API process; the suite spreads its users over them. */
  urls: readonly string[];
  close(): Promise<void>;
}

const BTC_USDT = 'BTC-USDT';
/** A fee in USDT: the rate times the value, rounded up to the currency's sixth decimal. */
const fee = (value: Big, rate: string): string => value.times(rate).round(6, Big.roundUp).toFixed(6);

/** What `read` answers once `done` holds of it (the read side may trail the engine a moment). */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
const PASSWORD = 'correct horse 1';

/**
 * Every request and WebSocket message of gitbitex-web's contract, as the page makes them (see
 * GitbitexClient), against an exchange started by `start`: the same suite for the embedded
 * default and for distributed mode on the real services.
 */
export function describeGitbitexContract(title: string, start: () => Promise<GitbitexUnderTest>): void {
  describe(`gitbitex-web contract: ${title}`, () => {
    let exchange: GitbitexUnderTest;
    let anonymous: GitbitexClient;
    let alice: GitbitexClient;
    let bob: GitbitexClient;
    let carol: GitbitexClient;
    /** Opened before anyone signed in, as the page's socket is on the sign-in page. */
    let anonymousPage: PageSocket;
    let alicePage: PageSocket;
    let bobPage: PageSocket;
    let carolPage: PageSocket;
    let products: any[];
    const sockets: PageSocket[] = [];
    const open = async (client: GitbitexClient): Promise<PageSocket> => {
      const socket = await client.socket();
      sockets.push(socket);
      return socket;
    };
    const url = (i: number): string => exchange.urls[i % exchange.urls.length]!;

    const contract = new ContractRecorder();

    beforeAll(async () => {
      exchange = await start();
      anonymous = new GitbitexClient(url(0), contract);
      alice = new GitbitexClient(url(0), contract);
      bob = new GitbitexClient(url(1), contract);
      carol = new GitbitexClient(url(2), contract);
    });

    afterAll(async () => {
      for (const socket of sockets) socket.close();
      await exchange?.close();
    });

    it('boots as the page does: the products, an anonymous socket, the tickers of every product', async () => {
      products = await anonymous.ok('GET', '/products');
      const btc = products.find((product) => product.id === BTC_USDT);
      expect(btc).toMatchObject({ baseCurrency: 'BTC', quoteCurrency: 'USDT', baseMinSize: expect.stringMatching(/^\d+\.\d+$/), quoteIncrement: expect.stringMatching(/^\d+\.\d+$/) });
      for (const product of products) {
        expect(Number.isInteger(product.baseScale) && Number.isInteger(product.quoteScale) && product.quoteScale >= 1).toBe(true);
        // The page formats with `length - 2` decimals of these strings.
        expect(product.quoteIncrement.length - 2).toBe(product.quoteScale);
      }
      anonymousPage = await open(anonymous);
      anonymousPage.subscribe(['ticker'], { product_ids: products.map((product) => product.id) });
      const reply = await anonymousPage.next((m) => m.type === 'subscriptions');
      expect(reply.channels).toEqual([{ name: 'ticker', product_ids: products.map((product) => product.id) }]);
      // The trade page: the order channel needs a user; the public ones start at once.
      anonymousPage.subscribe(['match', 'level2', 'order'], { product_ids: [BTC_USDT] });
      expect(await anonymousPage.next((m) => m.type === 'snapshot')).toEqual({ type: 'snapshot', productId: BTC_USDT, sequence: expect.any(Number), bids: [], asks: [] });
      expect(await anonymousPage.next((m) => m.type === 'error')).toMatchObject({ message: expect.any(String) });
      const trade = await anonymousPage.next((m) => m.type === 'subscriptions' && m.channels.some((c: any) => c.name === 'level2'));
      expect(trade.channels.map((c: any) => c.name).sort()).toEqual(['level2', 'match', 'ticker']);
    });

    it('answers every range of the price chart on a fresh exchange: numbers, newest first, at least one bar', async () => {
      for (const granularity of [60, 3600, 86400]) {
        const rows = await anonymous.ok<number[][]>('GET', `/products/${BTC_USDT}/candles?granularity=${granularity}`);
        expect(rows.length).toBeGreaterThanOrEqual(1);
        for (const row of rows) {
          expect(row).toHaveLength(6);
          expect(row.every((cell) => typeof cell === 'number')).toBe(true);
          expect(row[0]! % granularity).toBe(0);
        }
      }
      expect(await anonymous.ok('GET', `/products/${BTC_USDT}/trades`)).toEqual([]);
    });

    it('signs up and in by cookie: the stored body is the token itself, and the profile shows who it is', async () => {
      const refused = await anonymous.request('GET', '/users/self', undefined, ['HideAuthError']);
      expect(refused.status).toBe(401);
      expect(refused.body.message).toEqual(expect.any(String));
      alicePage = await open(alice); // before sign-in, as the page's socket is
      alicePage.subscribe(['match', 'level2', 'order'], { product_ids: [BTC_USDT] });
      await alicePage.next((m) => m.type === 'snapshot');
      const self = await alice.signUpAndIn('alice@example.com');
      expect(self).toEqual({ id: expect.any(String), email: 'alice@example.com', name: null, profilePhoto: null, createdAt: expect.any(String) });
      expect(alice.cookie).toEqual(alice.storedToken);
      expect(alice.storedToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      await bob.signUpAndIn('bob@example.com');
      await carol.signUpAndIn('carol@example.com');
      expect((await alice.request('POST', '/users', { email: 'alice@example.com', password: PASSWORD })).body.message).toEqual(expect.any(String));
      expect((await anonymous.request('POST', '/users/accessToken', { email: 'alice@example.com', password: 'wrong password 1' })).status).toBe(401);
    });

    it('pushes a user their orders and funds once the page subscribes with the stored token, on the socket opened before sign-in', async () => {
      await alice.ok('POST', '/faucet', { currency: 'BTC', amount: '2' });
      await bob.ok('POST', '/faucet', { currency: 'USDT', amount: '100000' });
      // What the trade page does once signed in: open orders (and their channel), then balances (and theirs).
      alicePage.subscribe(['order'], { product_ids: [BTC_USDT] });
      expect((await alice.orders(BTC_USDT, { status: ['open'] })).items).toEqual([]);
      alicePage.subscribe(['funds'], { currency_ids: ['BTC', 'USDT'] });
      const replied = await alicePage.next((m) => m.type === 'subscriptions' && m.channels.some((c: any) => c.name === 'funds'));
      expect(replied.channels).toEqual(
        expect.arrayContaining([
          { name: 'order', product_ids: [BTC_USDT] },
          { name: 'funds', currency_ids: ['BTC', 'USDT'] },
        ]),
      );
      expect(await alice.funds(['BTC', 'USDT'])).toEqual({
        BTC: { currency: 'BTC', available: '2.00000000', hold: '0.00000000', balance: '2.00000000' },
        USDT: { currency: 'USDT', available: '0.000000', hold: '0.000000', balance: '0.000000' },
      });

      // Bob's page opened after sign-in: the cookie authenticates the upgrade, and his stored token is the page's "[object Object]".
      bob.storedToken = '[object Object]';
      bobPage = await open(bob);
      bobPage.subscribe(['match', 'level2', 'order'], { product_ids: [BTC_USDT] });
      bobPage.subscribe(['funds'], { currency_ids: ['BTC', 'USDT'] });
      await bobPage.next((m) => m.type === 'subscriptions' && m.channels.some((c: any) => c.name === 'funds'));
      expect(bobPage.messages.filter((m) => m.type === 'error')).toEqual([]);
      carolPage = await open(carol);
      carolPage.subscribe(['match', 'level2', 'order'], { product_ids: [BTC_USDT] });
      carolPage.subscribe(['funds'], { currency_ids: ['BTC', 'USDT'] });
      await carolPage.next((m) => m.type === 'subscriptions' && m.channels.some((c: any) => c.name === 'funds'));

      // The order form's body for a limit sell: numbers, and a funds the page computed in floating point.
      const placed = await alice.placeOrder({ productId: BTC_USDT, side: 'sell', type: 'limit', price: 30003, size: 0.5, funds: 15001.500000000002 });
      expect(placed.status).toBe(200);
      const order = await alicePage.next((m) => m.type === 'order' && m.status === 'open');
      expect(order).toMatchObject({ type: 'order', productId: BTC_USDT, id: placed.body.id, side: 'sell', price: '30003.000000', size: '0.50000000', filledSize: '0.00000000', fillFees: '0.000000', status: 'open' });
      expect(Date.parse(order.createdAt)).toBeGreaterThan(0);
      expect(await alicePage.next((m) => m.type === 'funds' && m.currencyCode === 'BTC')).toMatchObject({ available: '1.50000000', hold: '0.50000000' });
      // Book prices without trailing zeros, which the page keys its levels by.
      expect(await bobPage.next((m) => m.type === 'l2update')).toEqual({ type: 'l2update', productId: BTC_USDT, sequence: expect.any(Number), time: expect.any(String), changes: [['sell', '30003', '0.50000000']] });
    });

    it('trades from the page\'s exact bodies: pushes the match, the ticker with its 24 h fields, each side\'s order and funds', async () => {
      const ask = await alice.placeOrder({ productId: BTC_USDT, side: 'sell', type: 'limit', price: 29954.5, size: 0.1, funds: 2995.4500000000003 });
      expect(ask.status).toBe(200);
      await bobPage.next((m) => m.type === 'l2update' && m.changes[0][1] === '29954.5');
      // A click on the book row fills the form: price and size as numbers; funds as the watcher left it.
      const bid = await bob.placeOrder({ productId: BTC_USDT, side: 'buy', type: 'limit', price: 29954.5, size: 0.1, funds: 600 });
      expect(bid.status).toBe(200);
      const match = await bobPage.next((m) => m.type === 'match');
      expect(match).toMatchObject({ productId: BTC_USDT, price: '29954.500000', size: '0.10000000', side: 'sell', makerOrderId: ask.body.id, takerOrderId: bid.body.id });
      expect(Date.parse(match.time)).toBeGreaterThan(0);
      // The level empties under the same key it was added with.
      await bobPage.next((m) => m.type === 'l2update' && m.changes.some(([side, price, size]: string[]) => side === 'sell' && price === '29954.5' && Number(size) === 0));
      expect(await alicePage.next((m) => m.type === 'order' && m.id === ask.body.id && m.status === 'filled')).toMatchObject({
        filledSize: '0.10000000',
        fillFees: '2.995450',
        size: '0.10000000',
      });
      expect(await bobPage.next((m) => m.type === 'order' && m.id === bid.body.id && m.status === 'filled')).toMatchObject({ filledSize: '0.10000000', fillFees: '5.990900' });
      // 0.1 × 29954.5 = 2995.45 USDT; the maker pays 0.1 %, the taker 0.2 %, both in USDT.
      expect(await alicePage.next((m) => m.type === 'funds' && m.currencyCode === 'USDT')).toMatchObject({ available: '2992.454550', hold: '0.000000' });
      expect(await bobPage.next((m) => m.type === 'funds' && m.currencyCode === 'BTC')).toMatchObject({ available: '0.10000000' });
      // The ticker the page titles the tab with and takes the 24 h change from: the trade is in its volume.
      const ticker = await anonymousPage.next((m) => m.type === 'ticker' && m.productId === BTC_USDT && m.volume24h === '0.10000000', 20_000);
      expect(ticker).toMatchObject({ price: '29954.500000', open24h: '29954.500000' });

      // A market buy: price is the last ticker price, funds the quote amount, size what the page divided out.
      const market = await bob.placeOrder({ productId: BTC_USDT, side: 'buy', type: 'market', price: Number(ticker.price), size: 3000.6 / Number(ticker.price), funds: 3000.6 });
      expect(market.status).toBe(200);
      const filled = await bobPage.next((m) => m.type === 'order' && m.id === market.body.id && m.status === 'filled');
      const value = new Big(filled.filledSize).times('30003');
      expect(filled.executedValue).toBe(value.toFixed(6));
      // Fees are the rate times the value, rounded up to the currency's last decimal.
      expect(filled.fillFees).toBe(fee(value, '0.002'));
      expect(value.plus(filled.fillFees).lte('3000.6')).toBe(true);
      expect(await eventually(() => anonymous.ok('GET', `/products/${BTC_USDT}/trades`), (trades: any[]) => trades.length === 2)).toEqual([
        { time: expect.any(String), tradeId: expect.any(String), price: '30003.000000', size: filled.filledSize, side: 'sell' },
        { time: expect.any(String), tradeId: expect.any(String), price: '29954.500000', size: '0.10000000', side: 'sell' },
      ]);
      const volume = new Big('0.1').plus(filled.filledSize);
      const candles = await eventually(
        () => anonymous.ok<number[][]>('GET', `/products/${BTC_USDT}/candles?granularity=60`),
        (rows) => rows[0]?.[4] === 30003 && rows.reduce((sum, row) => sum.plus(String(row[5])), new Big(0)).eq(volume),
      );
      expect(Math.min(...candles.map((row) => row[1]!))).toBe(29954.5);

      // A page opened now gets the product's figures at once, not at the next trade.
      const later = await open(anonymous);
      later.subscribe(['ticker'], { product_ids: products.map((product) => product.id) });
      expect(await later.next((m) => m.type === 'ticker' && m.productId === BTC_USDT)).toMatchObject({ price: '30003.000000', open24h: '29954.500000', volume24h: volume.toFixed(8) });
      later.close();

      // Balances exact to the last decimal: every trade, less each side's fee.
      const first = new Big('2995.45');
      expect(await bob.funds(['BTC', 'USDT'])).toMatchObject({
        BTC: { available: volume.toFixed(8), hold: '0.00000000' },
        USDT: { available: new Big('100000').minus(first).minus('5.9909').minus(value).minus(filled.fillFees).toFixed(6), hold: '0.000000' },
      });
      const [resting] = (await alice.orders(BTC_USDT, { status: ['open'] })).items;
      expect(resting).toMatchObject({ filledSize: filled.filledSize, fillFees: fee(value, '0.001') });
      expect(await alice.funds(['BTC', 'USDT'])).toEqual({
        BTC: { currency: 'BTC', available: '1.40000000', hold: new Big('0.5').minus(filled.filledSize).toFixed(8), balance: new Big('1.9').minus(filled.filledSize).toFixed(8) },
        USDT: expect.objectContaining({ available: first.minus('2.99545').plus(value).minus(fee(value, '0.001')).toFixed(6), hold: '0.000000' }),
      });
    });

    it('draws each product\'s last day for the home page\'s pictures (an SVG line of its hourly closes)', async () => {
      for (const productId of [BTC_USDT, 'ETH-BTC']) {
        const picture = await fetch(`${url(0)}/api/products/${productId}/svg`);
        expect(picture.status).toBe(200);
        expect(picture.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
        expect(/<polyline [^>]*points="([\d.]+,[\d.]+ )+[\d.]+,[\d.]+"/.test(await picture.text())).toBe(true);
      }
      expect((await fetch(`${url(0)}/api/products/NOPE-USDT/svg`)).status).toBe(404);
    });

    it('lists open orders and the order history in pages with their cursors, and cancels one and all', async () => {
      const open = await alice.orders(BTC_USDT, { status: ['open'] });
      expect(open.items).toHaveLength(1);
      expect(open.items[0]).toMatchObject({ productId: BTC_USDT, side: 'sell', price: '30003.000000', size: '0.50000000', status: 'open', createdAt: expect.any(String) });
      expect(open.before).toBe(open.items[0].id);
      expect(open.after).toBe(open.items[0].id);
      const all = await alice.orders(BTC_USDT);
      expect(all.items.map((o) => o.status)).toEqual(['filled', 'open']);
      expect([all.before, all.after]).toEqual([all.items[0].id, all.items[1].id]);
      const older = await alice.orders(BTC_USDT, { after: all.items[0].id });
      expect(older.items.map((o) => o.id)).toEqual([all.items[1].id]);
      expect((await alice.orders(BTC_USDT, { after: all.after! })).items).toEqual([]);

      const cancel = await alice.request('DELETE', `/orders/${open.items[0].id}`);
      expect(cancel.status).toBeLessThan(300);
      expect(await alicePage.next((m) => m.type === 'order' && m.id === open.items[0].id && m.status === 'cancelled')).toMatchObject({ filledSize: expect.any(String) });
      await alicePage.next((m) => m.type === 'funds' && m.currencyCode === 'BTC' && m.hold === '0.00000000');

      const placed = await Promise.all(
        [31000, 31500].map((price) => alice.placeOrder({ productId: BTC_USDT, side: 'sell', type: 'limit', price, size: 0.25, funds: price * 0.25 })),
      );
      expect((await alice.orders(BTC_USDT, { status: ['open'] })).items).toHaveLength(2);
      expect((await alice.request('DELETE', `/orders?productId=${BTC_USDT}`)).status).toBeLessThan(300);
      for (const order of placed) await alicePage.next((m) => m.type === 'order' && m.id === order.body.id && m.status === 'cancelled');
      const none = await alice.orders(BTC_USDT, { status: ['open'] });
      expect(none).toEqual({ items: [], after: null, before: null });
    });

    it('answers a row for every requested currency, zeros included', async () => {
      expect(await carol.funds(['ETH', 'BTC'])).toEqual({
        ETH: { currency: 'ETH', available: '0.00000000', hold: '0.00000000', balance: '0.00000000' },
        BTC: { currency: 'BTC', available: '0.00000000', hold: '0.00000000', balance: '0.00000000' },
      });
      expect((await carol.request('GET', '/accounts?currency=XYZ')).status).toBe(400);
    });

    it('pushes private messages to their owner only: never on a public socket, never to another user', async () => {
      expect(anonymousPage.messages.filter((m) => m.type === 'order' || m.type === 'funds')).toEqual([]);
      expect(carolPage.messages.filter((m) => m.type === 'order' || m.type === 'funds')).toEqual([]);
      const aliceIds = new Set(alicePage.messages.filter((m) => m.type === 'order').map((m) => m.id));
      expect(bobPage.messages.filter((m) => m.type === 'order' && aliceIds.has(m.id))).toEqual([]);
      // Public channels do reach every socket.
      expect(carolPage.messages.some((m) => m.type === 'match')).toBe(true);
    });

    it('replays the last subscriptions after a forced reconnect, so pushes keep coming', async () => {
      const before = alicePage.messages.filter((m) => m.type === 'subscriptions').at(-1);
      alicePage.clear();
      await alicePage.reconnect();
      const after = await alicePage.next((m) => m.type === 'subscriptions' && m.channels.length === before.channels.length);
      expect(after.channels).toEqual(expect.arrayContaining(before.channels));
      await alicePage.next((m) => m.type === 'snapshot');
      const placed = await alice.placeOrder({ productId: BTC_USDT, side: 'sell', type: 'limit', price: 32000, size: 0.1, funds: 3200 });
      expect(await alicePage.next((m) => m.type === 'order' && m.id === placed.body.id)).toMatchObject({ status: 'open' });
      await alicePage.next((m) => m.type === 'funds' && m.currencyCode === 'BTC');
      await alicePage.next((m) => m.type === 'l2update' && m.changes[0][1] === '32000');
      await alice.ok('DELETE', `/orders/${placed.body.id}`);
    });

    it('serves the account pages: deposit address, withdrawal and wallet transactions, profile, password change; password reset says it is not available', async () => {
      const address = await alice.ok('GET', '/wallets/BTC/address');
      expect(address).toEqual({ currency: 'BTC', address: expect.stringMatching(/^\S{20,}$/) });
      expect(await alice.ok('GET', '/wallets/BTC/address')).toEqual(address);
      expect((await alice.ok('GET', '/wallets/USDT/address')).address).not.toBe(address.address);
      expect((await bob.ok('GET', '/wallets/BTC/address')).address).not.toBe(address.address);

      const btc = async () => (await alice.ok('GET', '/accounts?currency=BTC'))[0];
      const before = await btc();
      // The dialog's number, with a float's noise: the currency's scale snaps it.
      const sent = await alice.ok('POST', '/wallets/BTC/withdrawal', { amount: 0.1 + 0.2, cryptoAddress: 'bc1qexampleaddress' });
      expect(sent).toMatchObject({ type: 'send', amount: '0.30000000', currency: 'BTC', status: 'completed', toAddress: 'bc1qexampleaddress' });
      expect((await btc()).available).toBe(new Big(before.available).minus('0.3').toFixed(8));
      for (const refused of [{ amount: 1_000_000, cryptoAddress: 'bc1q' }, { amount: '0.000000001', cryptoAddress: 'bc1q' }, { amount: 0.1, cryptoAddress: '' }]) {
        const answer = await alice.request('POST', '/wallets/BTC/withdrawal', refused);
        expect([answer.status, typeof answer.body.message]).toEqual([400, 'string']);
      }
      expect((await alice.request('POST', '/wallets/XYZ/withdrawal', { amount: 1, cryptoAddress: 'bc1q' })).status).toBe(404);
      expect((await btc()).available).toBe(new Big(before.available).minus('0.3').toFixed(8));
      const wallet = await alice.ok('GET', '/wallets/BTC/transactions');
      expect(wallet[0]).toEqual(sent);
      expect(wallet).toContainEqual(expect.objectContaining({ type: 'received', amount: '2.00000000', currency: 'BTC', toAddress: null }));
      expect(await bob.ok('GET', '/wallets/BTC/transactions')).not.toContainEqual(expect.objectContaining({ id: sent.id }));

      expect(await carol.ok('POST', '/users/name', { name: 'Carol' })).toMatchObject({ name: 'Carol' });
      expect(await carol.ok('POST', '/users/profilePhoto', { profilePhotoUrl: 'https://example.com/carol.png' })).toMatchObject({ profilePhoto: 'https://example.com/carol.png' });
      expect(await carol.ok('GET', '/users/self', undefined, ['HideAuthError'])).toMatchObject({ name: 'Carol', profilePhoto: 'https://example.com/carol.png' });
      const wrong = await carol.request('POST', '/users/password', { oldPassword: 'not my password 1', newPassword: 'a new password 2' });
      expect(wrong.status).toBe(400);
      expect(wrong.body.message).toMatch(/password/);
      await carol.ok('POST', '/users/password', { oldPassword: PASSWORD, newPassword: 'a new password 2' });
      expect((await new GitbitexClient(url(2), contract).request('POST', '/users/accessToken', { email: 'carol@example.com', password: PASSWORD })).status).toBe(401);
      await carol.signIn('carol@example.com', 'a new password 2');

      for (const [path, body] of [['/verifyCodes/restPassword', { email: 'carol@example.com' }], ['/users/password/reset', { email: 'carol@example.com', code: '123456', password: 'x' }]] as const) {
        const answer = await anonymous.request('POST', path, body);
        expect(answer.status).toBeGreaterThanOrEqual(400);
        expect(answer.body.message).toMatch(/not available/);
      }
      expect((await carol.request('GET', '/files/url')).body.message).toMatch(/not available/);
    });

    it('signs out: the session ends, and an unknown API path is a JSON 404', async () => {
      await carol.signOut();
      expect(carol.cookie).toBeNull();
      expect((await carol.request('GET', '/users/self', undefined, ['HideAuthError'])).status).toBe(401);
      const missing = await anonymous.request('GET', '/configs');
      expect(missing.status).toBe(404);
      expect(missing.body.message).toEqual(expect.any(String));
    });

    it('follows whoever signs in next on the same socket, and never the one who signed out', async () => {
      // Carol's page keeps its socket through sign-out; Dave signs in on it and the page subscribes again.
      await carol.signUpAndIn('dave@example.com');
      carolPage.clear();
      carolPage.subscribe(['order'], { product_ids: [BTC_USDT] });
      carolPage.subscribe(['funds'], { currency_ids: ['BTC', 'USDT'] });
      await carolPage.next((m) => m.type === 'subscriptions' && m.channels.some((c: any) => c.name === 'funds'));
      await carol.ok('POST', '/faucet', { currency: 'USDT', amount: '7' });
      expect(await carolPage.next((m) => m.type === 'funds' && m.currencyCode === 'USDT')).toMatchObject({ available: '7.000000' });
      // Carol, signed in elsewhere, is no longer this socket's user.
      const elsewhere = new GitbitexClient(url(2), contract);
      await elsewhere.signIn('carol@example.com', 'a new password 2');
      await elsewhere.ok('POST', '/faucet', { currency: 'USDT', amount: '5' });
      const placed = await elsewhere.placeOrder({ productId: BTC_USDT, side: 'buy', type: 'limit', price: 1000, size: 0.001, funds: 1 });
      expect(placed.status).toBe(200);
      await carolPage.next((m) => m.type === 'l2update' && m.changes.some(([, price]: string[]) => price === '1000'));
      expect(carolPage.messages.filter((m) => (m.type === 'funds' && m.available !== '7.000000') || (m.type === 'order' && m.id === placed.body.id))).toEqual([]);
    });

    it('refuses an order the page cannot mean, with a message it shows, and changes nothing', async () => {
      const before = await bob.funds(['BTC', 'USDT']);
      for (const [order, message] of [
        [{ productId: BTC_USDT, side: 'buy', type: 'limit', price: 30000.255, size: 0.1, funds: 3000 }, /price/i],
        [{ productId: BTC_USDT, side: 'buy', type: 'limit', price: 30000, size: 0.00001, funds: 0.3 }, /size/i],
        [{ productId: BTC_USDT, side: 'buy', type: 'limit', price: null, size: 0.1, funds: 0 }, /price/i],
        [{ productId: BTC_USDT, side: 'buy', type: 'limit', price: 1, size: 1e9, funds: 1e9 }, /size|funds/i],
        [{ productId: 'NOPE-USDT', side: 'buy', type: 'limit', price: 1, size: 1, funds: 1 }, /product/i],
        [{ productId: BTC_USDT, side: 'up', type: 'limit', price: 1, size: 1, funds: 1 }, /side/],
      ] as const) {
        const answer = await bob.placeOrder(order as never);
        expect(answer.status).toBeGreaterThanOrEqual(400);
        expect(answer.status).toBeLessThan(500);
        expect(answer.body.message).toMatch(message);
      }
      expect(await bob.funds(['BTC', 'USDT'])).toEqual(before);
    });

    it('answers every call above as the OpenAPI document it serves says', async () => {
      expect(contract.count).toBeGreaterThan(50);
      expect(contract.mismatches(await ContractRecorder.documentOf(url(0)))).toEqual([]);
    });
  });
}
