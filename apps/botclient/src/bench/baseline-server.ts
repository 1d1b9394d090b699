import { createServer } from 'node:http';
import { productJson } from '@sd/exchange/delivery/http/api-format';
import { DEFAULT_PRODUCTS } from '@sd/exchange/usecase/core/catalog/default-products';

/**
 * The bare node:http server bench:api (`--baseline`) and bench:http compare the exchange with:
 * what this machine's node:http does with no exchange behind it. `GET /api/health` answers a
 * small JSON; the book (level 2) and accounts answers of bench:http's requests are fixed JSON
 * of the exchange's shapes and sizes; any other GET the exchange's product list; every other
 * request has its JSON body read and a small JSON answer, as the order routes do.
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
server.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
