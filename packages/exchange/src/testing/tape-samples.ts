import Big from 'big.js';
import type { TapeTrade } from '@sd/domain/exchange/tape';
import { Prng } from './prng';

/**
 * The shipped sample tapes (`samples/`): one generated day of BTC-USDT written in the three
 * recorded formats. Deterministic: the same seed gives the same bytes (a spec compares the
 * shipped files with a fresh generation). Money is integers of the product's increments
 * (cents of 0.01 USDT, units of 0.0001 BTC, the default market's BTC-USDT grid and minimum),
 * floats only draw the randomness.
 */
export const SAMPLE_DAY = '2023-06-15';
export const SAMPLE_SEED = 20_230_615;
export const SAMPLE_FILES = {
  aggTrades: `BTC-USDT-aggTrades-${SAMPLE_DAY}.csv`,
  coinbase: `BTC-USDT-trades-${SAMPLE_DAY}.json`,
  klines: `BTC-USDT-klines-1m-${SAMPLE_DAY}.csv`,
} as const;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const MID_CENTS = 3_000_000;
/** About 8,600 trades a day: one every 10 s on average, more by day (UTC) and in bursts. */
const MEAN_GAP_S = 12.5;
const BURST_CHANCE = 0.2;
const BURST_GAP_S = 0.5;
/** The mid's volatility, cents per √s (about 2 % a day), pulled back to 30,000 over hours. */
const VOLATILITY_CENTS = 200;
const REVERSION_PER_S = 1 / 21_600;
/** Sizes in 0.0001 BTC (the minimum and increment): log-normal around 0.004 BTC, at most 2 BTC. */
const MEDIAN_SIZE_UNITS = 40;
const MAX_SIZE_UNITS = 20_000;

export interface SampleTrade {
  time: number;
  priceCents: number;
  sizeUnits: number;
  takerSide: 'buy' | 'sell';
  /** How many exchange trades Binance aggregated into this one. */
  fills: number;
}

const cents = (value: number): string => `${Math.floor(value / 100)}.${String(value % 100).padStart(2, '0')}`;
const units = (value: number, decimals: number): string => new Big(value).div(10_000).toFixed(decimals);

export function generateSampleTrades(seed = SAMPLE_SEED, day = SAMPLE_DAY): SampleTrade[] {
  const prng = new Prng(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - prng.next())) * Math.cos(2 * Math.PI * prng.next());
  const exponential = (mean: number): number => -Math.log(1 - prng.next()) * mean;
  const start = Date.parse(`${day}T00:00:00Z`);
  const trades: SampleTrade[] = [];
  let time = start;
  let mid = MID_CENTS;
  let momentum = 0;
  for (;;) {
    const hour = (time - start) / 3_600_000;
    const activity = 1 + 0.5 * Math.sin((2 * Math.PI * (hour - 8)) / 24);
    const gapS = prng.chance(BURST_CHANCE) ? exponential(BURST_GAP_S) : exponential(MEAN_GAP_S / activity);
    time += Math.max(1, Math.round(gapS * 1000));
    if (time >= start + DAY_MS) return trades;
    mid += Math.round(gauss() * VOLATILITY_CENTS * Math.sqrt(gapS) - (mid - MID_CENTS) * REVERSION_PER_S * gapS);
    const takerSide = prng.chance(0.5 + Math.max(-0.2, Math.min(0.2, momentum / 2000))) ? 'buy' : 'sell';
    const priceCents = mid + (takerSide === 'buy' ? 1 : -1) * prng.int(0, 3);
    momentum = momentum * 0.9 + (priceCents - (trades[trades.length - 1]?.priceCents ?? priceCents));
    const sizeUnits = Math.min(MAX_SIZE_UNITS, Math.max(1, Math.round(MEDIAN_SIZE_UNITS * Math.exp(1.3 * gauss()))));
    trades.push({ time, priceCents, sizeUnits, takerSide, fills: prng.int(1, 3) });
  }
}

/** Binance spot `aggTrades` CSV, no header, times in milliseconds, as its dumps before 2025. */
export function aggTradesCsv(trades: readonly SampleTrade[]): string {
  let aggId = 1_700_000_000;
  let tradeId = 3_100_000_000;
  return trades
    .map((trade) => {
      const first = tradeId;
      tradeId += trade.fills;
      const isBuyerMaker = trade.takerSide === 'sell' ? 'True' : 'False';
      return `${aggId++},${cents(trade.priceCents)}000000,${units(trade.sizeUnits, 8)},${first},${tradeId - 1},${trade.time},${isBuyerMaker},True\n`;
    })
    .join('');
}

/** Coinbase `GET /products/BTC-USDT/trades` JSON, newest first; `side` is the maker's. */
export function coinbaseTradesJson(trades: readonly SampleTrade[]): string {
  const firstId = 61_000_000;
  const rows = trades.map((trade, i) => {
    const makerSide = trade.takerSide === 'buy' ? 'sell' : 'buy';
    return JSON.stringify({ time: new Date(trade.time).toISOString(), trade_id: firstId + i, price: cents(trade.priceCents), size: units(trade.sizeUnits, 8), side: makerSide });
  });
  return `[\n${rows.reverse().join(',\n')}\n]\n`;
}

export interface MinuteCandle {
  openTime: number;
  open: Big;
  high: Big;
  low: Big;
  close: Big;
  volume: Big;
  quoteVolume: Big;
  trades: number;
  takerBuyVolume: Big;
  takerBuyQuoteVolume: Big;
}

/** 1-minute candles of trades in time order, keyed by the minute's start; minutes without trades have none. */
export function minuteCandles(trades: Iterable<TapeTrade>): Map<number, MinuteCandle> {
  const candles = new Map<number, MinuteCandle>();
  for (const trade of trades) {
    const openTime = trade.time - (trade.time % MINUTE_MS);
    const price = new Big(trade.price);
    const size = new Big(trade.size);
    const quote = price.times(size);
    const candle = candles.get(openTime);
    if (candle === undefined) {
      const buy = trade.takerSide === 'buy';
      candles.set(openTime, { openTime, open: price, high: price, low: price, close: price, volume: size, quoteVolume: quote, trades: 1, takerBuyVolume: buy ? size : new Big(0), takerBuyQuoteVolume: buy ? quote : new Big(0) });
      continue;
    }
    if (price.gt(candle.high)) candle.high = price;
    if (price.lt(candle.low)) candle.low = price;
    candle.close = price;
    candle.volume = candle.volume.plus(size);
    candle.quoteVolume = candle.quoteVolume.plus(quote);
    candle.trades++;
    if (trade.takerSide === 'buy') {
      candle.takerBuyVolume = candle.takerBuyVolume.plus(size);
      candle.takerBuyQuoteVolume = candle.takerBuyQuoteVolume.plus(quote);
    }
  }
  return candles;
}

/**
 * Binance spot 1-minute `klines` CSV of the day, no header: every minute, a minute without
 * trades at the last close with zero volume, as Binance writes it. `count` is the number of
 * exchange trades (an aggregated trade counts its fills).
 */
export function klinesCsv(trades: readonly SampleTrade[], day = SAMPLE_DAY): string {
  const start = Date.parse(`${day}T00:00:00Z`);
  const candles = minuteCandles(trades.map(tapeTradeOf));
  const fills = new Map<number, number>();
  for (const trade of trades) fills.set(trade.time - (trade.time % MINUTE_MS), (fills.get(trade.time - (trade.time % MINUTE_MS)) ?? 0) + trade.fills);
  let lastClose = new Big(cents(trades[0]?.priceCents ?? MID_CENTS));
  const rows: string[] = [];
  for (let openTime = start; openTime < start + DAY_MS; openTime += MINUTE_MS) {
    const candle = candles.get(openTime);
    const zero = new Big(0);
    const { open, high, low, close, volume, quoteVolume, takerBuyVolume, takerBuyQuoteVolume } = candle ?? { open: lastClose, high: lastClose, low: lastClose, close: lastClose, volume: zero, quoteVolume: zero, takerBuyVolume: zero, takerBuyQuoteVolume: zero };
    const decimals8 = [open, high, low, close, volume].map((value) => value.toFixed(8));
    rows.push(`${openTime},${decimals8.join(',')},${openTime + MINUTE_MS - 1},${quoteVolume.toFixed(8)},${fills.get(openTime) ?? 0},${takerBuyVolume.toFixed(8)},${takerBuyQuoteVolume.toFixed(8)},0\n`);
    lastClose = close;
  }
  return rows.join('');
}

export function tapeTradeOf(trade: SampleTrade): TapeTrade {
  return { time: trade.time, price: cents(trade.priceCents), size: units(trade.sizeUnits, 4), takerSide: trade.takerSide };
}

/** The three sample files, by name. */
export function sampleTapeFiles(seed = SAMPLE_SEED): Record<string, string> {
  const trades = generateSampleTrades(seed);
  return {
    [SAMPLE_FILES.aggTrades]: aggTradesCsv(trades),
    [SAMPLE_FILES.coinbase]: coinbaseTradesJson(trades),
    [SAMPLE_FILES.klines]: klinesCsv(trades),
  };
}
