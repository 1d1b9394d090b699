import { open, type FileHandle } from 'node:fs/promises';
import type { TapeTrade } from '@sd/domain/exchange/tape';
import { malformedTape, tapeOutOfOrder } from './tape-errors';
import { TimeOrder, type ReadCounter } from './tape-fields';

/*
 * Coinbase's `GET /products/{id}/trades` answers an array of flat objects
 * `{time, trade_id, price, size, side}`, newest first. Its docs: "The side of a trade
 * indicates the maker order side. [...] A buy side indicates a down-tick because the maker
 * was a buy order" (Exchange REST API reference, Get product trades): side "buy" means the
 * taker sold.
 *
 * A replay needs them oldest first, and a saved answer (or many pages appended) may be
 * large, so the file is read backwards in 64 KiB chunks when it is newest first. No
 * well-kept streaming JSON parser reads backwards (stream-json and the like only go
 * forward, and reversing their output would hold the whole file), but the objects are flat:
 * a trade is the bytes from a `{` to the next `}`, parsed alone with JSON.parse, and the
 * bytes between trades must be the array's `[`, `,` and `]`. The same scanner reads
 * forwards for files kept oldest first. It holds one chunk plus the part of a trade cut by
 * the chunk's edge.
 */
const CHUNK_BYTES = 64 * 1024;
/** A gap or a trade longer than this is not a trades array (trades are ~110 bytes). */
const MAX_PENDING_BYTES = 1024 * 1024;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

type Direction = 'forward' | 'backward';

interface RawTrade {
  text: string;
  /** Byte offset of its `{` in the file, and just past its `}`. */
  offset: number;
  end: number;
}

/** Where the bytes between trades may be: the array's opening, between two trades, its closing. */
const GAPS = { opening: /^\s*\[\s*$/, between: /^\s*,\s*$/, closing: /^\s*\]\s*$/, empty: /^\s*\[\s*\]\s*$/ };

class FlatObjectScanner {
  private buffer = Buffer.alloc(0);
  /** File offset of `buffer[0]`. */
  private start: number;
  private seen = 0;

  constructor(
    private readonly handle: FileHandle,
    private readonly size: number,
    private readonly direction: Direction,
    private readonly problem: (offset: number, why: string) => Promise<Error>,
  ) {
    this.start = direction === 'forward' ? 0 : size;
  }

  async *objects(): AsyncGenerator<RawTrade> {
    const forward = this.direction === 'forward';
    for (;;) {
      const found = forward ? this.firstObject() : this.lastObject();
      if (found === undefined) {
        if (forward ? this.start + this.buffer.length >= this.size : this.start === 0) {
          await this.checkGap(this.buffer, this.seen === 0 ? 'empty' : forward ? 'closing' : 'opening', forward ? this.start : 0);
          return;
        }
        if (this.buffer.length > MAX_PENDING_BYTES) throw await this.problem(this.start, 'no trade object within 1 MiB: not a flat trades array');
        await this.read();
        continue;
      }
      const { open, close } = found;
      const gap = forward ? this.buffer.subarray(0, open) : this.buffer.subarray(close + 1);
      await this.checkGap(gap, this.seen === 0 ? (forward ? 'opening' : 'closing') : 'between', forward ? this.start : this.start + close + 1);
      yield { text: this.buffer.toString('utf8', open, close + 1), offset: this.start + open, end: this.start + close + 1 };
      this.seen++;
      if (forward) {
        this.buffer = this.buffer.subarray(close + 1);
        this.start += close + 1;
      } else {
        this.buffer = this.buffer.subarray(0, open);
      }
    }
  }

  private firstObject(): { open: number; close: number } | undefined {
    const open = this.buffer.indexOf(OPEN_BRACE);
    const close = open < 0 ? -1 : this.buffer.indexOf(CLOSE_BRACE, open);
    return close < 0 ? undefined : { open, close };
  }

  private lastObject(): { open: number; close: number } | undefined {
    const close = this.buffer.lastIndexOf(CLOSE_BRACE);
    const open = close < 0 ? -1 : this.buffer.lastIndexOf(OPEN_BRACE, close);
    return open < 0 ? undefined : { open, close };
  }

  private async read(): Promise<void> {
    const forward = this.direction === 'forward';
    const end = forward ? this.start + this.buffer.length : this.start;
    const from = forward ? end : Math.max(0, this.start - CHUNK_BYTES);
    const length = forward ? Math.min(CHUNK_BYTES, this.size - end) : this.start - from;
    const chunk = Buffer.alloc(length);
    const { bytesRead } = await this.handle.read(chunk, 0, length, from);
    if (bytesRead !== length) throw await this.problem(from, 'the file changed while it was read');
    if (forward) {
      this.buffer = Buffer.concat([this.buffer, chunk]);
    } else {
      this.buffer = Buffer.concat([chunk, this.buffer]);
      this.start = from;
    }
  }

  private async checkGap(gap: Buffer, kind: keyof typeof GAPS, offset: number): Promise<void> {
    const text = gap.toString('utf8');
    if (GAPS[kind].test(text)) return;
    const expected = { opening: '"[" before the first trade', between: '"," between two trades', closing: '"]" after the last trade', empty: 'a JSON array of flat trade objects' }[kind];
    throw await this.problem(offset, `expected ${expected}, found ${JSON.stringify(text.slice(0, 40))}`);
  }
}

/** 1-based line of a byte offset, counted only when a row is reported. */
async function lineAt(handle: FileHandle, offset: number): Promise<number> {
  let line = 1;
  const chunk = Buffer.alloc(CHUNK_BYTES);
  for (let position = 0; position < offset; ) {
    const { bytesRead } = await handle.read(chunk, 0, Math.min(CHUNK_BYTES, offset - position), position);
    if (bytesRead === 0) break;
    for (let i = 0; i < bytesRead; i++) if (chunk[i] === 0x0a) line++;
    position += bytesRead;
  }
  return line;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const DECIMAL = /^\d+(\.\d+)?$/;

/** A trade, or what is wrong with the object. */
function parseTrade(text: string): (TapeTrade & { tradeId: number }) | string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return `not a flat JSON trade object: ${text.slice(0, 80)}`;
  }
  const { time, trade_id: tradeId, price, size, side } = raw as Record<string, unknown>;
  if (typeof time !== 'string' || !ISO_TIME.test(time)) return `time is not an ISO 8601 UTC time: ${JSON.stringify(time)}`;
  if (!Number.isSafeInteger(tradeId)) return `trade_id is not an integer: ${JSON.stringify(tradeId)}`;
  for (const [name, value] of [['price', price], ['size', size]] as const) {
    if (typeof value !== 'string' || !DECIMAL.test(value) || /^0+(\.0+)?$/.test(value)) return `${name} is not a decimal string above zero: ${JSON.stringify(value)}`;
  }
  if (side !== 'buy' && side !== 'sell') return `side is neither "buy" nor "sell": ${JSON.stringify(side)}`;
  return { time: Date.parse(time), tradeId: tradeId as number, price: price as string, size: size as string, takerSide: side === 'buy' ? 'sell' : 'buy' };
}

/** Trades compare by time, then by trade_id (several trades share a millisecond). */
const isLater = (a: { time: number; tradeId: number }, b: { time: number; tradeId: number }): boolean =>
  a.time > b.time || (a.time === b.time && a.tradeId > b.tradeId);

/** Coinbase trades JSON, newest first (as the API answers) or oldest first, yielded oldest first. */
export async function* coinbaseTrades(file: string, counter: ReadCounter): AsyncGenerator<TapeTrade> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const problem = async (offset: number, why: string): Promise<Error> => malformedTape({ file, line: await lineAt(handle, offset) }, why);
    const peek = (direction: Direction) => parsed(new FlatObjectScanner(handle, size, direction, problem).objects(), problem).next();
    const first = await peek('forward');
    const last = await peek('backward');
    if (first.done === true || last.done === true) {
      counter.bytesRead = size;
      return;
    }
    const newestFirst = isLater(first.value, last.value);
    const order = new TimeOrder();
    const scanner = new FlatObjectScanner(handle, size, newestFirst ? 'backward' : 'forward', problem);
    for await (const trade of parsed(scanner.objects(), problem)) {
      // The progress is the trades handed on, not the chunk read ahead.
      counter.bytesRead = newestFirst ? size - trade.offset : trade.end;
      if (!order.accepts(trade.time)) throw tapeOutOfOrder({ file, line: await lineAt(handle, trade.offset) }, trade.time, order.previous);
      yield { time: trade.time, price: trade.price, size: trade.size, takerSide: trade.takerSide };
    }
    counter.bytesRead = size;
  } finally {
    await handle.close();
  }
}

async function* parsed(
  objects: AsyncGenerator<RawTrade>,
  problem: (offset: number, why: string) => Promise<Error>,
): AsyncGenerator<TapeTrade & { tradeId: number; offset: number; end: number }> {
  for await (const { text, offset, end } of objects) {
    const trade = parseTrade(text);
    if (typeof trade === 'string') throw await problem(offset, trade);
    yield { ...trade, offset, end };
  }
}
