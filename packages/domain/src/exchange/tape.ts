/** One public trade of a recorded market: what a replay makes happen again. */
export interface TapeTrade {
  /** When it traded, milliseconds since the epoch. */
  time: number;
  /** Decimal strings, exactly as the recording has them. */
  price: string;
  size: string;
  /** The side of the order that took liquidity. */
  takerSide: 'buy' | 'sell';
}

/** The recorded formats a tape is read from. */
export type TapeFormat = 'binance-aggtrades' | 'binance-klines' | 'coinbase-trades';

/** A recording being read in time order, a piece at a time (never loaded whole). */
export interface TradeTape extends AsyncIterable<TapeTrade> {
  readonly format: TapeFormat;
  /** How far the reading is: bytes of the file read so far, of its size. */
  progress(): { bytesRead: number; bytesTotal: number };
}

/** Opens recordings: the format from `format`, or guessed from the file's name and first line. */
export interface TapeSource {
  open(file: string, format?: TapeFormat): Promise<TradeTape>;
}

export const TapeSource = Symbol.for('sd.exchange.TapeSource');
