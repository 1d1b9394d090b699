import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { productJson } from '@sd/exchange/delivery/http/api-format';
import { DEFAULT_PRODUCTS } from '@sd/exchange/usecase/core/catalog/default-products';

/**
 * The bare node:http server bench:api (`--baseline`) and bench:http compare the exchange with:
 * what this machine's node:http does with no exchange behind it. `GET /api/health` answers a
 * small JSON; the book (level 2) and accounts answers of bench:http's requests are fixed JSON
 * of the exchange's shapes and sizes; any other GET the exchange's product list; every other
 * request has its JSON body read and a small JSON answer, as the order routes do. At `/ws`,
 * every message is parsed and answered with an `order_response` of the exchange's shape and
 * size, with its request id, as order entry on the exchange's `/ws` does.
 */
const products = JSON.stringify(DEFAULT_PRODUCTS.map(productJson));
/** The shapes and sizes of the exchange's answers that bench:http asks for: a book of 20 levels a side, three accounts. */
const level = (price: number): [string, string, number] => [`${price.toFixed(2)}0000`, '0.00100000', 1];
const book = JSON.stringify({
  sequence: 80,
  bids: Array.from({ length: 20 }, (_, i) => level(29_999.79 - i * 0.01)),
  asks: Array.from({ length: 20 }, (_, i) => level(30_000.21 + i * 0.01)),
  time: new Date().toISOString(),
});
const accounts = JSON.stringify(
  ['BTC', 'ETH', 'USDT'].map((currency) => ({ id: currency, currency, balance: '1000.00000000', available: '999.00000000', hold: '1.00000000' })),
);
const answers: Record<string, string> = { '/api/health': '', '/api/accounts': accounts, '/api/products/BTC-USDT/book?level=2': book };
let nextId = 0;
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    let answer: string;
    if (req.method === 'GET') answer = req.url === '/api/health' ? JSON.stringify({ status: 'ok', sequence: nextId }) : (answers[req.url ?? ''] ?? products);
    else {
      const body = chunks.length === 0 ? {} : (JSON.parse(Buffer.concat(chunks).toString('utf8')) as object);
      answer = JSON.stringify({ id: String(++nextId), status: 'open', ...body });
    }
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(answer) });
    res.end(answer);
  });
});
/** An order as the exchange answers a limit order that rests: the same fields and lengths. */
const order = {
  id: '0',
  client_oid: null,
  product_id: 'BTC-USDT',
  side: 'buy',
  type: 'limit',
  price: '29999.990000',
  size: '0.00100000',
  funds: null,
  time_in_force: 'GTC',
  post_only: false,
  stp: 'dc',
  status: 'open',
  done_reason: null,
  filled_size: '0.00000000',
  executed_value: '0.000000',
  fill_fees: '0.000000',
  created_at: new Date().toISOString(),
  done_at: null,
};
const wss = new WebSocketServer({ server, path: '/ws', perMessageDeflate: false });
wss.on('connection', (socket) => {
  socket.on('message', (data) => {
    const request = JSON.parse(String(data)) as { request_id: unknown };
    socket.send(JSON.stringify({ type: 'order_response', request_id: request.request_id, order: { ...order, id: String(++nextId) } }));
  });
});
server.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
