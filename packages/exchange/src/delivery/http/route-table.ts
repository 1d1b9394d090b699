import type { RouteLanes } from '@sd/http/api-route';

/**
 * Which lane serves each route of the exchange's API, in one place. `fast`: node:http with
 * find-my-way and compiled schemas, for what bots poll and trade through; `express`: the long
 * tail (users and API keys, the faucet, the market's admin). Both answer from the same schemas; the app refuses to
 * start if this table and the routes disagree.
 */
export const EXCHANGE_LANES: RouteLanes = {
  'GET /health': 'fast',
  'GET /health/live': 'fast',
  'GET /time': 'fast',
  'GET /currencies': 'fast',
  'GET /currencies/:currencyId': 'fast',
  'GET /asyncapi.json': 'express',
  'GET /products': 'fast',
  'GET /products/:productId': 'fast',
  'GET /products/:productId/book': 'fast',
  'GET /products/:productId/trades': 'fast',
  'GET /products/:productId/candles': 'fast',
  'GET /products/:productId/stats': 'fast',
  'GET /products/:productId/ticker': 'fast',
  'GET /accounts': 'fast',
  'GET /accounts/:currency': 'fast',
  'GET /accounts/:currency/ledger': 'fast',
  'GET /accounts/:currency/holds': 'fast',
  'GET /accounts/:currency/transfers': 'fast',
  'GET /transfers': 'fast',
  'POST /withdrawals/crypto': 'express',
  'GET /orders': 'fast',
  'GET /orders/:orderId': 'fast',
  'GET /fills': 'fast',
  'POST /orders': 'fast',
  'DELETE /orders/:orderId': 'fast',
  'DELETE /orders': 'fast',
  'POST /faucet': 'express',
  'GET /admin/products': 'express',
  'GET /admin/currencies': 'express',
  'POST /admin/products': 'express',
  'PUT /admin/products/:productId/fees': 'express',
  'PUT /admin/products/:productId/status': 'express',
  'GET /sandbox': 'fast',
  'POST /sandbox/replay/start': 'express',
  'POST /users': 'express',
  'POST /users/accessToken': 'express',
  'POST /users/refreshToken': 'express',
  'DELETE /users/accessToken': 'express',
  'GET /users/self': 'express',
  'POST /users/apiKeys': 'express',
  'GET /users/apiKeys': 'express',
  'DELETE /users/apiKeys/:id': 'express',
};
