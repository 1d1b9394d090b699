// Wire shapes of the exchange API, from the schemas the server validates and answers with
// (the contract behind /api/openapi.json and /api/asyncapi.json): types only, nothing of
// them reaches the bundle.
import type { AccountJson, CandleJson, FeedMessage, FillJson, OrderJson, ProductJson, PublicTradeJson, StatsJson, TickerJson } from '@sd/exchange/delivery/http/api-types';

export type Product = ProductJson;
export type Account = AccountJson;
export type Trade = PublicTradeJson;
export type Ticker = TickerJson;
export type Stats = StatsJson;
export type Side = OrderJson['side'];
/** `[time, low, high, open, close, volume]`. */
export type CandleRow = CandleJson;

/**
 * An order as the page holds it: the REST shape, or as much of it as the user channel has
 * told so far (`pending`: received, not yet open).
 */
export type Order = Pick<OrderJson, 'id' | 'product_id' | 'side' | 'type'> &
  Partial<Omit<OrderJson, 'id' | 'product_id' | 'side' | 'type' | 'status'>> & { status: OrderJson['status'] | 'pending' };

/** A fill as REST answers it, or as pushed: a match on the matches channel carries no fee. */
export type Fill = Omit<FillJson, 'fee'> & { fee: string | null };

/** The user channel's messages about orders. */
export type UserMessage = FeedMessage<'received'> | FeedMessage<'open'> | FeedMessage<'change'> | FeedMessage<'done'> | FeedMessage<'match'>;
/** The funds channel's message. */
export type FundsMessage = FeedMessage<'funds'>;
