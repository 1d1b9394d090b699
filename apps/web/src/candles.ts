import Big from 'big.js';
import type { CandleRow } from './types';

export const GRANULARITIES = [60, 300, 900, 3600, 21600, 86400] as const;

export interface Candle {
  time: number;
  low: string;
  high: string;
  open: string;
  close: string;
  volume: string;
}

export function candleOf(row: CandleRow): Candle {
  const [time, low, high, open, close, volume] = row;
  return { time, low: String(low), high: String(high), open: String(open), close: String(close), volume: String(volume) };
}

/**
 * The candles of one granularity: loaded from REST (newest first), then kept live from the
 * `candles` channel, which only carries 60 s candles, each one the whole minute so far.
 *
 * For a larger granularity a bucket is its REST candle plus the live minutes inside it. The
 * minute that was in progress when REST answered is already partly in that candle, so only its
 * growth since then (`loadedMinute`, the same minute fetched at 60 s) is added to the volume.
 */
export class CandleSeries {
  private readonly loaded = new Map<number, Candle>();
  private readonly live = new Map<number, Candle>();
  private readonly buckets = new Map<number, Candle>();

  constructor(
    readonly granularity: number,
    rows: CandleRow[],
    private readonly loadedMinute?: Candle,
  ) {
    for (const row of rows) {
      const candle = candleOf(row);
      this.loaded.set(candle.time, candle);
      this.buckets.set(candle.time, candle);
    }
  }

  /** Ascending by time, as the chart wants them. */
  list(): Candle[] {
    return [...this.buckets.values()].sort((a, b) => a.time - b.time);
  }

  /** Folds a live 60 s candle in and answers the bucket it changed. */
  applyMinute(minute: Candle): Candle {
    const bucketTime = Math.floor(minute.time / this.granularity) * this.granularity;
    if (this.granularity === 60) {
      this.buckets.set(bucketTime, minute);
      return minute;
    }
    this.live.set(minute.time, minute);
    const minutes = [...this.live.values()]
      .filter((m) => m.time >= bucketTime && m.time < bucketTime + this.granularity)
      .sort((a, b) => a.time - b.time);
    const base = this.loaded.get(bucketTime);
    let open = base?.open ?? (minutes[0] as Candle).open;
    let high = new Big(base?.high ?? (minutes[0] as Candle).high);
    let low = new Big(base?.low ?? (minutes[0] as Candle).low);
    let volume = new Big(base?.volume ?? 0);
    let close = base?.close ?? open;
    for (const m of minutes) {
      if (new Big(m.high).gt(high)) high = new Big(m.high);
      if (new Big(m.low).lt(low)) low = new Big(m.low);
      const counted = base && this.loadedMinute?.time === m.time ? this.loadedMinute.volume : '0';
      volume = volume.plus(m.volume).minus(counted);
      close = m.close;
    }
    if (!base && minutes.length > 0) open = (minutes[0] as Candle).open;
    const bucket = { time: bucketTime, low: low.toFixed(), high: high.toFixed(), open, close, volume: volume.toFixed() };
    this.buckets.set(bucketTime, bucket);
    return bucket;
  }
}
