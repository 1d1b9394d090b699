import type { RouteLanes } from '@sd/http/api-route';

/**
 * Which lane serves each route of gitbitex-web's API (see EXCHANGE_LANES): what the trade page
 * polls and trades through on the fast lane; users, account pages and the faucet on express.
 */
export const GITBITEX_LANES: RouteLanes = {
  'GET /health': 'fast',
  'GET /health/live': 'fast',
  'GET /products': 'fast',
  'GET /products/:productId/candles': 'fast',
  'GET /products/:productId/trades': 'fast',
  'GET /accounts': 'fast',
  'GET /orders': 'fast',
  'POST /orders': 'fast',
  'DELETE /orders/:orderId': 'fast',
  'DELETE /orders': 'fast',
  'GET /wallets/:currency/address': 'express',
  'POST /wallets/:currency/withdrawal': 'express',
  'GET /wallets/:currency/transactions': 'express',
  'POST /faucet': 'express',
  'POST /users': 'express',
  'POST /users/accessToken': 'express',
  'DELETE /users/accessToken': 'express',
  'GET /users/self': 'express',
  'POST /users/password': 'express',
  'POST /users/name': 'express',
  'POST /users/profilePhoto': 'express',
  'POST /verifyCodes/restPassword': 'express',
  'POST /users/password/reset': 'express',
  'GET /files/url': 'express',
};
