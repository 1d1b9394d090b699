import type { Static } from '@sinclair/typebox';
import type * as Schema from './api-schemas';
import type { ServerMessages } from '../ws/ws-schemas';

/*
 * The exchange API's wire types, derived from the schemas the server validates and answers
 * with (and documents in /api/openapi.json and /api/asyncapi.json): clients import these
 * instead of declaring their own, so a changed field breaks their build, not their users.
 * Types only: importing them adds nothing to a bundle.
 */

export type ProductJson = Static<typeof Schema.Product>;
export type CurrencyJson = Static<typeof Schema.Currency>;
export type BookJson = Static<typeof Schema.Book>;
export type PublicTradeJson = Static<typeof Schema.PublicTrade>;
/** `[time (epoch seconds), low, high, open, close, volume]`. */
export type CandleJson = Static<typeof Schema.Candle>;
export type StatsJson = Static<typeof Schema.Stats>;
export type TickerJson = Static<typeof Schema.Ticker>;
export type ServerTimeJson = Static<typeof Schema.ServerTime>;
export type AccountJson = Static<typeof Schema.Account>;
export type OrderJson = Static<typeof Schema.Order>;
export type NewOrderJson = Static<typeof Schema.NewOrder>;
export type FillJson = Static<typeof Schema.Fill>;
export type LedgerEntryJson = Static<typeof Schema.LedgerEntry>;
export type HoldJson = Static<typeof Schema.Hold>;
export type TransferJson = Static<typeof Schema.Transfer>;
export type WithdrawalJson = Static<typeof Schema.Withdrawal>;
export type NewWithdrawalJson = Static<typeof Schema.NewWithdrawal>;

/** A message of the `/ws` feed, by its `type`. */
export type FeedMessage<T extends keyof typeof ServerMessages> = Static<(typeof ServerMessages)[T]>;
