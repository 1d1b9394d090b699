import { createServer } from 'node:http';
import { productJson } from '@sd/exchange/delivery/http/api-format';
import { DEFAULT_PRODUCTS } from '@sd/exchange/usecase/core/catalog/default-products';

/**
 * The bare node:http server bench:api (`--baseline`) and bench:http compare the exchange with:
 * what this machine's node:http does with no exchange behind it. `GET /api/health` answers a
 * small JSON, any other GET the exchange's product list; every other request has its JSON
 * body read and a small JSON answer, as the order routes do.
 */
const products = JSON.stringify(DEFAULT_PRODUCTS.map(productJson));
let nextId = 0;
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    let answer: string;
    if (req.method === 'GET') answer = req.url === '/api/health' ? JSON.stringify({ status: 'ok', sequence: nextId }) : products;
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
