// A stand-in for gitbitex-web, written from the contract (shared/research/gitbitex-web-contract.md),
// not from its code: the same calls, in the same order, with the same bodies and headers.
'use strict';

const TOKEN_KEY = 'access-token';
const state = { user: null, products: [], product: null, book: { bids: [], asks: [] }, trades: [], openOrders: [], funds: {}, replay: [] };
const $ = (id) => document.getElementById(id);

// --- HTTP: every URL under /api, JSON bodies, the page's flags as real headers; < 300 resolves, anything else rejects with the body.
async function api(method, path, body, flags = {}) {
  const headers = { ...flags };
  if (body !== undefined) headers['Content-Type'] = 'application/json;charset=utf-8';
  const response = await fetch(`/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const data = text === '' ? null : JSON.parse(text);
  if (response.status >= 300) throw Object.assign(new Error((data && data.message) || `HTTP ${response.status}`), { status: response.status });
  return flags.ResponseAll ? { data, headers: response.headers } : data;
}

// --- WebSocket: opened once the products answered; reopened every 5 s while not open; every message carries the stored token.
const socket = {
  ws: null,
  onOpen: null,
  connect(onOpen) {
    this.onOpen = onOpen;
    const open = () => {
      const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.hostname}${location.port ? `:${location.port}` : ''}/ws`);
      ws.onopen = () => {
        const replay = state.replay;
        state.replay = [];
        for (const entry of replay) this.send(entry);
        const first = this.onOpen;
        this.onOpen = null;
        if (first) first();
      };
      ws.onmessage = (event) => receive(JSON.parse(event.data));
      this.ws = ws;
    };
    open();
    setInterval(() => this.ws.readyState === WebSocket.OPEN || open(), 5000);
  },
  send(message) {
    this.ws.send(JSON.stringify({ ...message, token: localStorage.getItem(TOKEN_KEY) || '' }));
  },
};
const subscribe = (productIds, channels) => socket.send({ type: 'subscribe', product_ids: productIds, channels });
const subscribeFunds = (currencies) => socket.send({ type: 'subscribe', currency_ids: currencies, channels: ['funds'] });

// Bursts are merged the way the page buffers them: book changes for 200 ms, orders and funds for 300 ms.
function buffered(apply, ms) {
  let pending = [];
  return (message) => {
    if (pending.length === 0) setTimeout(() => { const batch = pending; pending = []; apply(batch); }, ms);
    pending.push(message);
  };
}

const bookChanges = buffered((messages) => {
  const bids = {};
  const asks = {};
  for (const level of state.book.bids) bids[Number(level[0])] = level;
  for (const level of state.book.asks) asks[Number(level[0])] = level;
  for (const message of messages) {
    for (const [side, price, size] of message.changes) {
      const levels = side === 'buy' ? bids : asks;
      if (Number(size) === 0) delete levels[price];
      else levels[price] = [price, size];
    }
  }
  state.book = { bids: Object.values(bids).sort((a, b) => b[0] - a[0]), asks: Object.values(asks).sort((a, b) => a[0] - b[0]) };
  render();
}, 200);

const orderChanges = buffered((orders) => {
  for (const order of orders) {
    if (state.product === null || order.productId !== state.product.id) continue;
    const known = state.openOrders.find((row) => row.id === order.id);
    if (known) Object.assign(known, order);
    else state.openOrders.unshift(order);
  }
  render();
}, 300);

const fundsChanges = buffered((funds) => {
  for (const fund of funds) state.funds[fund.currencyCode] = { currency: fund.currencyCode, available: fund.available, hold: fund.hold };
  render();
}, 300);

function receive(message) {
  switch (message.type) {
    case 'snapshot':
      if (state.product && message.productId === state.product.id) state.book = { bids: message.bids, asks: message.asks };
      return render();
    case 'l2update':
      return bookChanges(message);
    case 'match':
      state.trades.unshift(message);
      state.trades = state.trades.slice(0, 120);
      return render();
    case 'ticker': {
      const product = state.products.find((p) => p.id === message.productId);
      if (product) Object.assign(product, message);
      return render();
    }
    case 'order':
      return orderChanges(message);
    case 'funds':
      return fundsChanges(message);
    case 'subscriptions':
      state.replay = message.channels.map((channel) => ({ ...channel, channels: [channel.name], type: 'subscribe' }));
      return undefined;
    default:
      return undefined; // errors, heartbeats and the rest are not the page's business
  }
}

// --- Pages, routed in history mode.
function navigate(path) {
  history.pushState(null, '', path);
  route();
}

function route() {
  for (const id of ['trade', 'signin', 'signup']) $(id).hidden = true;
  const path = location.pathname;
  if (path === '/' || path === '') {
    history.replaceState(null, '', '/trade/BTC-USDT');
    return route();
  }
  const trade = /^\/trade\/([^/]+)$/.exec(path);
  if (trade) return showTrade(decodeURIComponent(trade[1]));
  if (path === '/account/signin') return ($('signin').hidden = false);
  if (path === '/account/signup') return ($('signup').hidden = false);
  return undefined;
}

async function showTrade(productId) {
  $('trade').hidden = false;
  state.product = state.products.find((product) => product.id === productId) || null;
  if (state.product === null) return;
  state.book = { bids: [], asks: [] };
  state.openOrders = [];
  render();
  // The chart: its channel, then its history (the minute range).
  subscribe([productId], ['candles_60']);
  const candles = await api('GET', `/products/${productId}/candles?granularity=60`);
  $('candles').textContent = `${candles.length} bars, last close ${candles[0][4]}, volume ${candles[0][5].toFixed(4)}`;
  state.trades = await api('GET', `/products/${productId}/trades`);
  subscribe([productId], ['match', 'level2', 'order']);
  render();
  if (state.user === null) return;
  subscribe([productId], ['order']);
  const open = await api('GET', `/orders?productId=${productId}&limit=30&status=open`, undefined, { ResponseAll: true });
  state.openOrders = open.data.items;
  state.cursors = { after: open.headers.get('gbe-after'), before: open.headers.get('gbe-before') };
  const currencies = [state.product.baseCurrency, state.product.quoteCurrency];
  subscribeFunds(currencies);
  const funds = await api('GET', `/accounts?${currencies.map((c) => `currency=${c}`).join('&')}`);
  state.funds = {};
  for (const fund of funds) state.funds[fund.currency] = fund;
  render();
}

function render() {
  $('user').textContent = state.user ? state.user.name || state.user.email : '';
  $('signin-link').hidden = state.user !== null;
  if (state.product === null) return;
  const product = state.product;
  $('product').textContent = product.id;
  $('last-price').textContent = `${parseFloat(state.trades[0] && state.trades[0].price)} ${product.quoteCurrency}`;
  if (product.price !== undefined) document.title = `${product.price} · ${product.baseCurrency} to ${product.quoteCurrency}`;
  const levels = (rows) => rows.map(([price, size]) => `<tr data-price="${Number(price)}"><td>${Number(price).toFixed(product.quoteScale)}</td><td>${Number(size).toFixed(product.baseScale)}</td></tr>`).join('');
  $('asks').innerHTML = levels(state.book.asks.slice().reverse());
  $('bids').innerHTML = levels(state.book.bids);
  $('trades').innerHTML = state.trades.map((t) => `<li>${t.side} ${t.price} ${t.size}</li>`).join('');
  $('funds').innerHTML = Object.values(state.funds)
    .map((f) => `<tr data-currency="${f.currency}"><td>${f.currency}</td><td class="available">${Number(f.available).toFixed(4)}</td><td class="hold">${Number(f.hold).toFixed(4)}</td></tr>`)
    .join('');
  $('open-orders').innerHTML = state.openOrders
    .map((o) => `<tr data-id="${o.id}"><td>${o.side}</td><td>${Number(o.price) ? Number(o.price).toFixed(product.quoteScale) : 'MARKET'}</td><td>${Number(o.size).toFixed(4)}</td><td>${Number(o.filledSize).toFixed(4)}</td><td class="status">${o.status}</td></tr>`)
    .join('');
}

// --- Forms.
$('order-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const product = state.product;
  const trade = { side: Number($('side').value), type: Number($('type').value), price: Number($('price').value), size: Number($('size').value), quote: Number($('quote').value) };
  if (trade.type === 0) {
    trade.price = Number(product.price);
    if (trade.side === 0) trade.size = trade.quote / trade.price;
  } else {
    trade.quote = trade.size * trade.price;
  }
  $('order-error').textContent = '';
  try {
    await api('POST', '/orders', { productId: product.id, side: ['buy', 'sell'][trade.side], type: ['market', 'limit'][trade.type], price: trade.price, size: trade.size, funds: trade.quote }, { HideError: true });
    $('size').value = '';
    $('quote').value = '';
  } catch (error) {
    $('order-error').textContent = error.message;
  }
});

$('signin-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const body = await api('POST', '/users/accessToken', { email: $('signin-email').value, password: $('signin-password').value });
    localStorage.setItem(TOKEN_KEY, body);
    state.user = await api('GET', '/users/self', undefined, { HideAuthError: true });
    navigate(new URLSearchParams(location.search).get('ref') || '/trade/BTC-USDT');
  } catch (error) {
    $('signin-error').textContent = error.message;
  }
});

$('signup-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    await api('POST', '/users', { email: $('signup-email').value, password: $('signup-password').value });
    navigate('/account/signin');
  } catch (error) {
    $('signup-error').textContent = error.message;
  }
});

document.addEventListener('click', (event) => {
  const link = event.target.closest('a[data-link]');
  if (link === null) return;
  event.preventDefault();
  navigate(link.getAttribute('href'));
});
window.addEventListener('popstate', route);

// --- Boot: the user (if a token is stored), the products, then the socket; nothing shows until it opens.
(async () => {
  if (localStorage.getItem(TOKEN_KEY)) {
    try {
      state.user = await api('GET', '/users/self', undefined, { HideAuthError: true });
    } catch {
      state.user = null;
    }
  }
  state.products = await api('GET', '/products');
  socket.connect(() => {
    subscribe(state.products.map((product) => product.id), ['ticker']);
    $('loading').hidden = true;
    $('app').hidden = false;
    route();
  });
})();
