import { Type } from '@sinclair/typebox';
import { defineRoute, type ApiRoute } from '@sd/http/api-route';
import type { AccountQueries } from '../../usecase/read/account-queries';
import type { FundsUseCase } from '../../usecase/write/funds.usecase';
import { holdJson, ledgerEntryJson, pageHeaders, transferJson, withdrawalJson } from './api-format';
import * as Schema from './api-schemas';
import type { Authorize } from './exchange.routes';

export interface FundsRoutesOptions {
  funds: FundsUseCase;
  accounts: AccountQueries;
  /** Any signed-in caller (view permission is enough). */
  signedIn: Authorize;
  /** Withdrawals: the `trade` permission and the per-user limit, as order entry. */
  trade: Authorize;
}

const tags = ['account'];

/**
 * The caller's money, Coinbase's way: each account's ledger (every balance change) and holds,
 * deposits and withdrawals, and crypto withdrawals, which the exchange settles at once (it
 * simulates the chain). An account's id is its currency. Lists are newest first and paged
 * with `before`/`after`, answering `CB-BEFORE`/`CB-AFTER`.
 */
export function fundsRoutes({ funds, accounts, signedIn, trade }: FundsRoutesOptions): ApiRoute[] {
  const userOf = async (authorize: Authorize, request: Parameters<Authorize>[0], headers: Record<string, string>): Promise<string> => (await authorize(request, headers)).userId;
  return [
    defineRoute({
      method: 'GET',
      path: '/accounts/:currency/ledger',
      summary: 'Every change of the account’s balance (match, fee, transfer) with the balance after it; paged by entry id',
      tags,
      security: 'signed-in',
      schema: { params: Schema.CurrencyPath, query: Schema.AccountPage, response: Type.Array(Schema.LedgerEntry) },
      handle: async (request, reply) => {
        const entries = await accounts.ledgerEntries(await userOf(signedIn, request, reply.headers), request.params.currency, request.query);
        pageHeaders(reply.headers, entries, (entry) => entry.id);
        return entries.map(ledgerEntryJson);
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/accounts/:currency/holds',
      summary: 'What the account’s resting orders hold; paged by order id',
      tags,
      security: 'signed-in',
      schema: { params: Schema.CurrencyPath, query: Schema.AccountPage, response: Type.Array(Schema.Hold) },
      handle: async (request, reply) => {
        const holds = await accounts.holds(await userOf(signedIn, request, reply.headers), request.params.currency, request.query);
        pageHeaders(reply.headers, holds, (hold) => hold.orderId);
        return holds.map(holdJson);
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/accounts/:currency/transfers',
      summary: 'The account’s deposits and withdrawals; paged by transfer id',
      tags,
      security: 'signed-in',
      schema: { params: Schema.CurrencyPath, query: Schema.TransfersQuery, response: Type.Array(Schema.Transfer) },
      handle: async (request, reply) => {
        const { currency } = request.params;
        const transfers = await accounts.transfers(await userOf(signedIn, request, reply.headers), { ...request.query, currency });
        pageHeaders(reply.headers, transfers, (transfer) => transfer.id);
        return transfers.map(transferJson);
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/transfers',
      summary: 'The caller’s deposits and withdrawals in every currency; paged by transfer id',
      tags,
      security: 'signed-in',
      schema: { query: Schema.TransfersQuery, response: Type.Array(Schema.Transfer) },
      handle: async (request, reply) => {
        const transfers = await accounts.transfers(await userOf(signedIn, request, reply.headers), request.query);
        pageHeaders(reply.headers, transfers, (transfer) => transfer.id);
        return transfers.map(transferJson);
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/withdrawals/crypto',
      summary: 'Withdraw to an address; sequenced like an order and settled when applied (no fee)',
      tags,
      security: 'signed-in',
      schema: { body: Schema.NewWithdrawal, response: Schema.Withdrawal },
      handle: async (request, reply) => {
        const userId = await userOf(trade, request, reply.headers);
        const { currency, amount, crypto_address: cryptoAddress } = request.body;
        // A JSON number reaches here as a float: its shortest decimal form is what the client wrote, and the parser checks its scale exactly.
        const transfer = await funds.withdraw(userId, { currency, amount: typeof amount === 'number' ? String(amount) : amount, cryptoAddress });
        return withdrawalJson(transfer);
      },
    }),
  ];
}
