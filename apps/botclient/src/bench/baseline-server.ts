import { createServer } from 'node:http';
import { productJson } from '@sd/exchange/delivery/http/api-format';
import { DEFAULT_PRODUCTS } from '@sd/exchange/usecase/core/catalog/default-products';

/**
 * `pnpm bench:api -- --baseline`: what this machine's node:http does with the same load and no
 * exchange behind it. Lists the exchange's products, and answers every other request by
 * reading its JSON body and sending a small JSON answer, as the order routes do.
 */
const products = JSON.stringify(DEFAULT_PRODUCTS.map(productJson));
let nextId = 0;
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = chunks.length === 0 ? {} : (JSON.parse(Buffer.concat(chunks).toString('utf8')) as object);
    const answer = req.method === 'GET' ? products : JSON.stringify({ id: String(++nextId), status: 'open', ...body });
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(answer) });
    res.end(answer);
  });
});
server.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
