import Big from 'big.js';
import { Api, ApiError } from './api';
import { OrderBook, type L2Snapshot, type L2Update } from './book';
import { CandleSeries, GRANULARITIES, candleOf } from './candles';
import { PriceChart } from './chart';
import { byId, h, rows } from './dom';
import { changePercent, clock, decimalsOf, fixed, plain } from './format';
import { OrderStore, type UserMessage } from './orders';
import { MarketSocket, type ConnectionState } from './socket';
import type { Account, CandleRow, Fill, FundsMessage, Order, Product, Side, Stats, Ticker, Trade } from './types';
import { statusNotice, validateOrder, type OrderForm } from './validate';

const BOOK_DEPTH = 14;
const TRADES_SHOWN = 40;
const PUBLIC_CHANNELS = ['heartbeat', 'ticker', 'level2', 'matches', 'candles'];
const TOKEN_KEY = 'sd.accessToken';

const api = new Api();
const book = new OrderBook();
const orders = new OrderStore();
const accounts = new Map<string, Account>();
let products: Product[] = [];
/** How often product statuses and fees are read again. */
const PRODUCTS_REFRESH_MS = 15_000;
let product: Product | null = null;
let granularity = 60;
let series: CandleSeries | null = null;
let trades: Trade[] = [];
let email: string | null = null;
const ticker: { price?: string; open?: string; high?: string; low?: string; volume?: string } = {};

// ---- messages -------------------------------------------------------------------------

function alert(message: string, kind: 'error' | 'info' = 'error'): void {
  const box = byId('alerts');
  const item = h('div', { class: `alert ${kind}` }, h('span', {}, message), h('button', { type: 'button', 'aria-label': 'Dismiss', onclick: () => item.remove() }, '×'));
  box.append(item);
  // Keep the list short; notices go before errors, which stay until dismissed.
  while (box.children.length > 3) (box.querySelector('.alert.info') ?? box.firstElementChild)?.remove();
  if (kind === 'info') setTimeout(() => item.remove(), 4000);
}

function describe(error: unknown): string {
  if (error instanceof ApiError || error instanceof Error) return error.message;
  return String(error);
}

/** Runs an async action and shows its failure in words instead of leaving the page stuck. */
function attempt(what: string, action: () => Promise<unknown>): Promise<void> {
  return action().then(
    () => undefined,
    (error: unknown) => alert(`${what}: ${describe(error)}`),
  );
}

// ---- rendering (batched per animation frame) ----------------------------------------

type Part = 'book' | 'trades' | 'ticker' | 'orders' | 'balances';
const dirty = new Set<Part>();
let frame = 0;

function redraw(...parts: Part[]): void {
  for (const part of parts) dirty.add(part);
  if (!frame) frame = requestAnimationFrame(flush);
}

function flush(): void {
  frame = 0;
  const parts = [...dirty];
  dirty.clear();
  for (const part of parts) RENDER[part]();
}

const RENDER: Record<Part, () => void> = {
  book: renderBook,
  trades: renderTrades,
  ticker: renderTicker,
  orders: renderOrders,
  balances: renderBalances,
};

function price(value: string | null | undefined): string {
  return value && product ? fixed(value, product.quote_increment) : plain(value);
}

function size(value: string | null | undefined): string {
  return value && product ? fixed(value, product.base_increment) : plain(value);
}

function renderBook(): void {
  const asks = book.levels('sell', BOOK_DEPTH);
  const bids = book.levels('buy', BOOK_DEPTH);
  const totals = [asks.at(-1)?.total, bids.at(-1)?.total].filter((t): t is string => !!t).map((t) => new Big(t));
  const max = totals.reduce((a, b) => (b.gt(a) ? b : a), new Big(0));
  const row = (level: { price: string; size: string; total: string }): HTMLTableRowElement => {
    const width = max.gt(0) ? new Big(level.total).div(max).times(100).toFixed(1) : '0';
    return h(
      'tr',
      { class: 'level', style: `background-size: ${width}% 100%`, 'data-price': level.price, onclick: () => setPrice(level.price) },
      h('td', {}, price(level.price)),
      h('td', {}, size(level.size)),
      h('td', {}, size(level.total)),
    );
  };
  rows(byId('book-asks'), asks.reverse().map(row), book.ready ? 'No asks' : 'Loading…', 3);
  rows(byId('book-bids'), bids.map(row), book.ready ? 'No bids' : 'Loading…', 3);
  const bestAsk = asks.at(-1)?.price;
  const bestBid = bids[0]?.price;
  byId('book-spread').textContent = bestAsk && bestBid ? `Spread ${price(new Big(bestAsk).minus(bestBid).toFixed())}` : '–';
}

function renderTrades(): void {
  rows(
    byId('trades'),
    trades.slice(0, TRADES_SHOWN).map((t) =>
      // A trade's side is the maker's: a resting sell that was hit is an up-tick (buyer took it).
      h('tr', { 'data-trade-id': String(t.trade_id) }, h('td', { class: t.side === 'sell' ? 'up' : 'down' }, price(t.price)), h('td', {}, size(t.size)), h('td', { class: 'muted' }, clock(t.time))),
    ),
    'No trades yet',
    3,
  );
}

function renderTicker(): void {
  byId('tk-price').textContent = ticker.price ? price(ticker.price) : '–';
  const change = changePercent(ticker.open, ticker.price);
  const changeEl = byId('tk-change');
  changeEl.textContent = change;
  changeEl.className = change.startsWith('-') ? 'down' : 'up';
  byId('tk-high').textContent = ticker.high ? price(ticker.high) : '–';
  byId('tk-low').textContent = ticker.low ? price(ticker.low) : '–';
  byId('tk-volume').textContent = ticker.volume ? plain(ticker.volume) : '–';
  document.title = ticker.price && product ? `${price(ticker.price)} ${product.id} · sd exchange` : 'sd exchange';
}

function renderOrders(): void {
  const signedOut = 'Log in to see your orders';
  const side = (s: Side): HTMLTableCellElement => h('td', { class: s === 'buy' ? 'buy-text' : 'sell-text' }, s);
  const priceOf = (o: Order): string => (o.type === 'market' ? 'market' : plain(o.price));
  const sizeOf = (o: Order): string => (o.size ? plain(o.size) : o.funds ? `${plain(o.funds)} funds` : '');
  rows(
    byId('open-orders'),
    orders.openOrders().map((o) =>
      h(
        'tr',
        { 'data-order-id': o.id },
        h('td', {}, o.product_id),
        side(o.side),
        h('td', {}, priceOf(o)),
        h('td', {}, sizeOf(o)),
        h('td', {}, plain(o.filled_size ?? '0')),
        h('td', {}, o.status),
        h('td', {}, h('button', { type: 'button', class: 'secondary cancel', onclick: () => void cancel(o.id) }, 'Cancel')),
      ),
    ),
    email ? 'No open orders' : signedOut,
    7,
  );
  rows(
    byId('order-history'),
    orders.doneOrders().map((o) =>
      h(
        'tr',
        { 'data-order-id': o.id },
        h('td', {}, o.product_id),
        side(o.side),
        h('td', {}, o.type),
        h('td', {}, priceOf(o)),
        h('td', {}, sizeOf(o)),
        h('td', {}, plain(o.filled_size ?? '0')),
        h('td', {}, o.done_reason ?? 'done'),
      ),
    ),
    email ? 'No finished orders' : signedOut,
    7,
  );
  rows(
    byId('fills'),
    orders.fillList().map((f: Fill) =>
      h(
        'tr',
        { 'data-trade-id': String(f.trade_id), 'data-order-id': f.order_id },
        h('td', { class: 'muted' }, clock(f.created_at)),
        h('td', {}, f.product_id),
        side(f.side),
        h('td', {}, plain(f.price)),
        h('td', {}, plain(f.size)),
        h('td', {}, f.fee == null ? '…' : plain(f.fee)),
        h('td', {}, f.liquidity === 'M' ? 'maker' : f.liquidity === 'T' ? 'taker' : ''),
      ),
    ),
    email ? 'No fills yet' : 'Log in to see your fills',
    7,
  );
}

function renderBalances(): void {
  const list = [...accounts.values()].sort((a, b) => a.currency.localeCompare(b.currency));
  rows(
    byId('balances'),
    list.map((a) => h('tr', { 'data-currency': a.currency }, h('td', {}, a.currency), h('td', { class: 'available' }, plain(a.available)), h('td', { class: 'hold' }, plain(a.hold)))),
    email ? 'No balances: use the faucet below' : 'Log in to see your balances',
    3,
  );
}

function renderConnection(state: ConnectionState): void {
  const el = byId('conn');
  el.dataset.state = state;
  el.textContent = state === 'open' ? 'Live' : state === 'connecting' ? 'Connecting…' : 'Disconnected, retrying…';
}

function renderAuth(): void {
  byId('login-form').hidden = email !== null;
  byId('session').hidden = email === null;
  byId('user-email').textContent = email ?? '';
}

// ---- market data ------------------------------------------------------------------------

let connection: ConnectionState = 'connecting';
const socket = new MarketSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`, onMessage, (state, reconnected) => {
  connection = state;
  renderConnection(state);
  if (state !== 'open') return;
  // A fresh level-2 snapshot follows the resubscription; REST fills in what was missed meanwhile.
  book.reset();
  redraw('book');
  if (reconnected) {
    void attempt('Refreshing products', refreshProducts);
    void loadMarket();
    if (email) void loadUser();
  }
});
const chart = new PriceChart(byId('chart'));

async function loadProducts(): Promise<void> {
  products = await api.get<Product[]>('/products');
  const select = byId<HTMLSelectElement>('product');
  select.replaceChildren(...products.map((p) => h('option', { value: p.id }, productLabel(p))));
  const wanted = decodeURIComponent(location.hash.slice(1));
  const first = products.find((p) => p.id === wanted) ?? products[0];
  if (!first) {
    alert('The exchange lists no products.');
    return;
  }
  select.value = first.id;
  selectProduct(first.id);
}

/** The product's name, and its status when it is not trading normally. */
function productLabel(p: Product): string {
  const name = p.display_name ?? p.id;
  return p.status && p.status !== 'online' ? `${name} (${p.status.replace('_', ' ')})` : name;
}

/** Statuses and fees change at run time (the admin API): refresh them without losing the selection. */
async function refreshProducts(): Promise<void> {
  const fresh = await api.get<Product[]>('/products');
  const select = byId<HTMLSelectElement>('product');
  const selected = select.value;
  products = fresh;
  select.replaceChildren(...products.map((p) => h('option', { value: p.id }, productLabel(p))));
  select.value = selected;
  product = products.find((p) => p.id === selected) ?? product;
  updateOrderForm();
}

function selectProduct(id: string): void {
  const next = products.find((p) => p.id === id);
  if (!next) return;
  if (product) socket.unsubscribe(PUBLIC_CHANNELS, [product.id]);
  product = next;
  history.replaceState(null, '', `#${encodeURIComponent(id)}`);
  book.reset();
  trades = [];
  for (const key of Object.keys(ticker) as (keyof typeof ticker)[]) delete ticker[key];
  chart.precision(decimalsOf(next.quote_increment));
  for (const el of document.querySelectorAll<HTMLElement>('[data-unit]')) el.textContent = el.dataset.unit === 'base' ? next.base_currency : next.quote_currency;
  const currencies = [...new Set(products.flatMap((p) => [p.base_currency, p.quote_currency]))];
  const faucetCurrency = byId<HTMLSelectElement>('faucet-currency');
  faucetCurrency.replaceChildren(...currencies.map((c) => h('option', { value: c }, c)));
  faucetCurrency.value = next.quote_currency;
  socket.subscribe(PUBLIC_CHANNELS, [next.id]);
  updateOrderForm();
  redraw('book', 'trades', 'ticker');
  void loadMarket();
}

async function loadMarket(): Promise<void> {
  const id = product?.id;
  if (!id) return;
  await Promise.all([
    attempt('Loading the ticker', async () => {
      const [t, stats] = await Promise.all([api.get<Ticker>(`/products/${id}/ticker`), api.get<Stats>(`/products/${id}/stats`)]);
      if (product?.id !== id) return;
      Object.assign(ticker, { price: t.price ?? stats.last, open: stats.open, high: stats.high, low: stats.low, volume: stats.volume ?? t.volume });
      redraw('ticker');
    }),
    attempt('Loading trades', async () => {
      const list = await api.get<Trade[]>(`/products/${id}/trades?limit=${TRADES_SHOWN}`);
      if (product?.id !== id) return;
      const pushed = trades.filter((t) => !list.some((l) => String(l.trade_id) === String(t.trade_id)));
      trades = [...pushed, ...list].slice(0, TRADES_SHOWN);
      redraw('trades');
    }),
    attempt('Loading candles', loadCandles),
  ]);
}

async function loadCandles(): Promise<void> {
  const id = product?.id;
  const g = granularity;
  if (!id) return;
  const [rowsOfG, minutes] = await Promise.all([
    api.get<CandleRow[]>(`/products/${id}/candles?granularity=${g}`),
    g === 60 ? Promise.resolve([] as CandleRow[]) : api.get<CandleRow[]>(`/products/${id}/candles?granularity=60`),
  ]);
  if (product?.id !== id || granularity !== g) return;
  // The minute in progress when REST answered, so its live updates are not counted twice.
  const newest = minutes[0] ? candleOf(minutes[0]) : undefined;
  const current = Math.floor(Date.now() / 60_000) * 60;
  series = new CandleSeries(g, rowsOfG, newest && newest.time >= current - 60 ? newest : undefined);
  chart.set(series.list());
}

function onMessage(message: Record<string, unknown>): void {
  const productId = message.product_id as string | undefined;
  const current = productId !== undefined && productId === product?.id;
  switch (message.type) {
    case 'snapshot':
      if (current) {
        book.snapshot(message as unknown as L2Snapshot);
        redraw('book');
      }
      return;
    case 'l2update':
      if (!current) return;
      if (book.apply(message as unknown as L2Update) === 'gap') {
        // A lost update: drop the book and ask for a new snapshot.
        socket.unsubscribe(['level2'], [productId]);
        socket.subscribe(['level2'], [productId]);
      }
      redraw('book');
      return;
    case 'match':
      if (current) addTrade(message);
      orders.apply(message as unknown as UserMessage);
      redraw('orders');
      return;
    case 'received':
    case 'open':
    case 'change':
    case 'done':
      orders.apply(message as unknown as UserMessage);
      redraw('orders');
      return;
    case 'ticker':
      if (!current) return;
      if (typeof message.high_24h === 'string') {
        Object.assign(ticker, { price: message.price, open: message.open_24h, high: message.high_24h, low: message.low_24h, volume: message.volume_24h });
      } else {
        // A ticker without the 24 h figures: fold this trade into the ones loaded from /stats.
        Object.assign(ticker, rollStats(ticker, message.price as string, (message.last_size as string | undefined) ?? '0'));
      }
      redraw('ticker');
      return;
    case 'candles':
      if (current && series && Array.isArray(message.candle)) {
        const bucket = series.applyMinute(candleOf(message.candle as CandleRow));
        try {
          chart.update(bucket);
        } catch {
          // An update older than the last bar cannot be appended; redraw the whole series.
          chart.set(series.list());
        }
      }
      return;
    case 'funds': {
      const funds = message as unknown as FundsMessage;
      // The funds message carries available and hold; the balance is their sum, exact, at their scale.
      const balance = new Big(funds.available).plus(funds.hold).toFixed(funds.available.split('.')[1]?.length ?? 0);
      accounts.set(funds.currency, { id: funds.currency, currency: funds.currency, available: funds.available, hold: funds.hold, balance });
      redraw('balances');
      return;
    }
    case 'error':
      alert(`Live updates: ${String(message.message ?? 'the server refused a subscription')}`);
      return;
  }
}

function rollStats(stats: typeof ticker, price: string, size: string): typeof ticker {
  const some = (value: string | undefined): value is string => value !== undefined && new Big(value).gt(0);
  return {
    price,
    open: some(stats.open) ? stats.open : price,
    high: some(stats.high) && new Big(stats.high).gte(price) ? stats.high : price,
    low: some(stats.low) && new Big(stats.low).lte(price) ? stats.low : price,
    volume: new Big(stats.volume ?? 0).plus(size).toFixed(),
  };
}

function addTrade(message: Record<string, unknown>): void {
  const id = String(message.trade_id);
  if (trades.some((t) => String(t.trade_id) === id)) return;
  trades = [{ trade_id: id, price: message.price as string, size: message.size as string, side: message.side as Side, time: message.time as string }, ...trades].slice(0, TRADES_SHOWN);
  redraw('trades');
}

// ---- the trader ---------------------------------------------------------------------------

async function loadUser(): Promise<void> {
  await Promise.all([
    attempt('Loading balances', async () => {
      const list = await api.get<Account[]>('/accounts');
      accounts.clear();
      for (const a of list) accounts.set(a.currency, a);
      redraw('balances');
    }),
    attempt('Loading orders', async () => {
      for (const o of await api.get<Order[]>('/orders?status=all&limit=100')) orders.upsertOrder(o);
      redraw('orders');
    }),
    attempt('Loading fills', async () => {
      for (const f of await api.get<Fill[]>('/fills?limit=100')) orders.addFill(f);
      redraw('orders');
    }),
  ]);
}

async function signedIn(token: string, who: string): Promise<void> {
  api.token = token;
  email = who;
  localStorage.setItem(TOKEN_KEY, token);
  socket.subscribe(['user', 'funds'], products.map((p) => p.id));
  socket.setToken(token);
  renderAuth();
  redraw('orders', 'balances');
  await loadUser();
}

async function logIn(signUp: boolean): Promise<void> {
  const form = byId<HTMLFormElement>('login-form');
  if (!form.reportValidity()) return;
  const credentials = { email: byId<HTMLInputElement>('email').value.trim(), password: byId<HTMLInputElement>('password').value };
  if (signUp) await api.post('/users', credentials);
  const answer = await api.post<{ access_token: string }>('/users/accessToken', credentials);
  byId<HTMLInputElement>('password').value = '';
  await signedIn(answer.access_token, credentials.email);
  alert(signUp ? `Welcome, ${credentials.email}` : `Logged in as ${credentials.email}`, 'info');
}

async function logOut(): Promise<void> {
  try {
    await api.delete('/users/accessToken');
  } finally {
    api.token = null;
    email = null;
    localStorage.removeItem(TOKEN_KEY);
    socket.setToken(null);
    orders.clear();
    accounts.clear();
    renderAuth();
    redraw('orders', 'balances');
  }
}

async function restoreSession(): Promise<void> {
  const token = localStorage.getItem(TOKEN_KEY);
  if (!token) return;
  api.token = token;
  try {
    const self = await api.get<{ email?: string }>('/users/self');
    await signedIn(token, self.email ?? 'signed in');
  } catch (error) {
    api.token = null;
    localStorage.removeItem(TOKEN_KEY);
    if (!(error instanceof ApiError && error.status === 401)) throw error;
  }
}

async function cancel(id: string): Promise<void> {
  await attempt('Cancel', async () => {
    await api.delete(`/orders/${encodeURIComponent(id)}`);
    orders.canceled(id);
    redraw('orders');
  });
}

// ---- order form -----------------------------------------------------------------------------

function readForm(): OrderForm {
  return {
    side: byId<HTMLInputElement>('side-sell').checked ? 'sell' : 'buy',
    type: byId<HTMLSelectElement>('order-type').value as OrderForm['type'],
    price: byId<HTMLInputElement>('price').value,
    size: byId<HTMLInputElement>('size').value,
    funds: byId<HTMLInputElement>('funds').value,
    amount: byId<HTMLSelectElement>('amount-in').value as OrderForm['amount'],
    timeInForce: byId<HTMLSelectElement>('tif').value as OrderForm['timeInForce'],
    postOnly: byId<HTMLInputElement>('post-only').checked,
  };
}

function updateOrderForm(): void {
  const form = readForm();
  const shown: Record<string, boolean> = {
    limit: form.type === 'limit',
    market: form.type === 'market',
    size: form.type === 'limit' || form.amount === 'size',
    funds: form.type === 'market' && form.amount === 'funds',
  };
  for (const label of document.querySelectorAll<HTMLElement>('#order-form [data-for]')) label.hidden = !shown[label.dataset.for ?? ''];
  const submit = byId<HTMLButtonElement>('order-submit');
  submit.className = form.side;
  submit.textContent = `${form.side === 'buy' ? 'Buy' : 'Sell'} ${product?.base_currency ?? ''}`.trim();
  const hint = byId('order-hint');
  hint.textContent = (product && statusNotice(product)) ?? '';
  if (product && !statusNotice(product) && form.type === 'limit') {
    const check = validateOrder(product, form);
    if (check.ok) hint.textContent = `Total ${new Big(check.body.price ?? 0).times(check.body.size ?? 0).toFixed()} ${product.quote_currency}`;
  }
}

function setPrice(value: string): void {
  byId<HTMLInputElement>('price').value = value;
  updateOrderForm();
}

async function placeOrder(): Promise<void> {
  const error = byId('order-error');
  error.textContent = '';
  if (!product) return;
  if (!email) {
    error.textContent = 'Log in to place orders.';
    return;
  }
  const check = validateOrder(product, readForm());
  if (!check.ok) {
    error.textContent = check.message;
    byId<HTMLElement>(check.field === 'postOnly' ? 'post-only' : check.field === 'type' ? 'order-type' : check.field).focus();
    return;
  }
  const submit = byId<HTMLButtonElement>('order-submit');
  submit.disabled = true;
  try {
    const order = await api.post<Order>('/orders', check.body);
    orders.upsertOrder(order);
    redraw('orders');
    alert(`Order placed: ${order.side} ${plain(order.size ?? order.funds)} ${order.product_id}${order.price ? ` at ${plain(order.price)}` : ''}`, 'info');
  } catch (e) {
    error.textContent = describe(e);
  } finally {
    submit.disabled = false;
  }
}

async function faucet(): Promise<void> {
  const currency = byId<HTMLSelectElement>('faucet-currency').value;
  const amount = byId<HTMLInputElement>('faucet-amount').value.trim();
  if (!email) {
    alert('Log in to get test funds.');
    return;
  }
  try {
    await api.post('/faucet', { currency, amount });
    alert(`Deposited ${amount} ${currency}`, 'info');
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) {
      byId('faucet').hidden = true;
      alert('This exchange has no faucet.', 'info');
      return;
    }
    throw e;
  }
}

// ---- wiring -----------------------------------------------------------------------------------

function wire(): void {
  const on = (id: string, event: string, handler: (event: Event) => void): void => byId(id).addEventListener(event, handler);
  on('product', 'change', (e) => selectProduct((e.target as HTMLSelectElement).value));
  on('login-form', 'submit', (e) => {
    e.preventDefault();
    void attempt('Log in', () => logIn(false));
  });
  on('signup', 'click', () => void attempt('Sign up', () => logIn(true)));
  on('logout', 'click', () => void attempt('Log out', logOut));
  on('order-form', 'input', updateOrderForm);
  on('order-form', 'change', updateOrderForm);
  on('order-form', 'submit', (e) => {
    e.preventDefault();
    void placeOrder();
  });
  on('faucet', 'submit', (e) => {
    e.preventDefault();
    void attempt('Faucet', faucet);
  });
  for (const tab of document.querySelectorAll<HTMLButtonElement>('[data-tab]')) {
    tab.addEventListener('click', () => {
      for (const t of document.querySelectorAll<HTMLButtonElement>('[data-tab]')) t.setAttribute('aria-selected', String(t === tab));
      for (const pane of document.querySelectorAll<HTMLElement>('[data-pane]')) pane.hidden = pane.dataset.pane !== tab.dataset.tab;
    });
  }
  const buttons = GRANULARITIES.map((g) =>
    h('button', { type: 'button', 'data-granularity': String(g), 'aria-pressed': String(g === granularity) }, g < 3600 ? `${g / 60}m` : g < 86400 ? `${g / 3600}h` : '1d'),
  );
  for (const button of buttons) {
    button.addEventListener('click', () => {
      granularity = Number(button.dataset.granularity);
      for (const b of buttons) b.setAttribute('aria-pressed', String(b === button));
      void attempt('Loading candles', loadCandles);
    });
  }
  byId('granularity').replaceChildren(...buttons);
  window.addEventListener('error', (e) => alert(`Something went wrong: ${e.message}`));
  window.addEventListener('unhandledrejection', (e) => alert(`Something went wrong: ${describe(e.reason)}`));
}

wire();
renderAuth();
renderConnection('connecting');
redraw('book', 'trades', 'ticker', 'orders', 'balances');
socket.connect();
void attempt('Loading products', async () => {
  await loadProducts();
  await restoreSession();
});
// While disconnected the connection state says so; the refresh waits for the reconnect.
setInterval(() => connection === 'open' && void attempt('Refreshing products', refreshProducts), PRODUCTS_REFRESH_MS);
