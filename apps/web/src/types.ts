// Wire shapes of the exchange API (apps/exchange/API.md). Every amount is a decimal string.

export interface Product {
  id: string;
  base_currency: string;
  quote_currency: string;
  quote_increment: string;
  base_increment: string;
  base_min_size: string;
  min_market_funds?: string | null;
  max_market_funds?: string | null;
  display_name?: string;
  status?: string;
  maker_fee_rate?: string;
  taker_fee_rate?: string;
}

export type Side = 'buy' | 'sell';

export interface Order {
  id: string;
  client_oid?: string | null;
  product_id: string;
  side: Side;
  type: 'limit' | 'market';
  price?: string | null;
  size?: string | null;
  funds?: string | null;
  time_in_force?: string | null;
  post_only?: boolean;
  created_at?: string;
  done_at?: string | null;
  done_reason?: string | null;
  status: 'pending' | 'open' | 'done' | 'rejected' | string;
  filled_size?: string;
  executed_value?: string;
  fill_fees?: string;
}

export interface Fill {
  trade_id: number | string;
  product_id: string;
  order_id: string;
  price: string;
  size: string;
  liquidity?: 'M' | 'T' | string;
  fee?: string | null;
  side: Side;
  created_at: string;
}

export interface Account {
  id?: string;
  currency: string;
  balance: string;
  available: string;
  hold: string;
}

export interface Trade {
  time: string;
  trade_id: number | string;
  price: string;
  size: string;
  side: Side;
}

export interface Ticker {
  price?: string;
  bid?: string;
  ask?: string;
  volume?: string;
  time?: string;
}

export interface Stats {
  open?: string;
  high?: string;
  low?: string;
  last?: string;
  volume?: string;
}

/** `[time, low, high, open, close, volume]`; prices may arrive as strings or numbers. */
export type CandleRow = [number, string | number, string | number, string | number, string | number, string | number];
