import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { TapeFormat, TapeSource, TapeTrade, TradeTape } from '@sd/domain/exchange/tape';
import { binanceAggTrades } from './binance-aggtrades-tape';
import { binanceKlines } from './binance-klines-tape';
import { coinbaseTrades } from './coinbase-trades-tape';
import type { ReadCounter } from './tape-fields';
import { unknownTapeFormat } from './tape-errors';

const READERS: Record<TapeFormat, (file: string, counter: ReadCounter) => AsyncGenerator<TapeTrade>> = {
  'binance-aggtrades': binanceAggTrades,
  'binance-klines': binanceKlines,
  'coinbase-trades': coinbaseTrades,
};

/** A recording on disk; each iteration reads the file anew from its start. */
class FileTradeTape implements TradeTape {
  private counter: ReadCounter = { bytesRead: 0 };

  constructor(
    readonly format: TapeFormat,
    private readonly file: string,
    private readonly bytesTotal: number,
  ) {}

  progress(): { bytesRead: number; bytesTotal: number } {
    return { bytesRead: Math.min(this.counter.bytesRead, this.bytesTotal), bytesTotal: this.bytesTotal };
  }

  [Symbol.asyncIterator](): AsyncIterator<TapeTrade> {
    this.counter = { bytesRead: 0 };
    return READERS[this.format](this.file, this.counter);
  }
}

/** Recordings in files, in the formats of Binance's public dumps and Coinbase's trades API. */
export class FileTapeSource implements TapeSource {
  async open(file: string, format?: TapeFormat): Promise<TradeTape> {
    const { size, isFile } = await stat(file).then((stats) => ({ size: stats.size, isFile: stats.isFile() }));
    if (!isFile) throw unknownTapeFormat(file, 'not a file');
    return new FileTradeTape(format ?? (await guessFormat(file)), file, size);
  }
}

/** Binance names its dumps `BTCUSDT-aggTrades-2025-01-01.csv`, `BTCUSDT-1m-2025-01-01.csv`. */
const KLINE_INTERVAL = /-\d+[smhdwM]-/;
const FIRST_BYTES = 1024;

/** The format from the file's name, else from its first line. */
export async function guessFormat(file: string): Promise<TapeFormat> {
  const name = basename(file);
  if (/aggtrades/i.test(name)) return 'binance-aggtrades';
  if (/klines/i.test(name) || KLINE_INTERVAL.test(name)) return 'binance-klines';
  if (/\.json$/i.test(name)) return 'coinbase-trades';
  const handle = await open(file, 'r');
  const head = Buffer.alloc(FIRST_BYTES);
  const { bytesRead } = await handle.read(head, 0, FIRST_BYTES, 0).finally(() => handle.close());
  const firstLine = head.toString('utf8', 0, bytesRead).trimStart().split(/\r?\n/)[0]!;
  if (firstLine.startsWith('[')) return 'coinbase-trades';
  const columns = firstLine.split(',');
  if (columns[0] === 'agg_trade_id' || columns.length === 7 || columns.length === 8) return 'binance-aggtrades';
  if (columns[0] === 'open_time' || columns.length === 12) return 'binance-klines';
  throw unknownTapeFormat(file, 'neither its name nor its first line tells its format (binance-aggtrades, binance-klines or coinbase-trades): give it');
}
