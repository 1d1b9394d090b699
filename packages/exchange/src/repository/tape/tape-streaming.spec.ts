import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { once } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { FileTapeSource } from './file-tape-source';
import { tapeFiles } from './tape-spec-files';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Writes `rows` lines made by `row(i)` without holding them. */
async function writeRows(file: string, rows: number, row: (i: number) => string, head = '', tail = ''): Promise<void> {
  const out = createWriteStream(file);
  out.write(head);
  for (let i = 0; i < rows; i++) if (!out.write(row(i))) await once(out, 'drain');
  out.end(tail);
  await once(out, 'finish');
}

/** Reads the tape whole, returning the trades read and the most the live heap grew, sampled with a full GC. */
async function readMeasuringHeap(file: string): Promise<{ trades: number; heapGrowth: number; bytesTotal: number }> {
  gc();
  const baseline = process.memoryUsage().heapUsed;
  let heapGrowth = 0;
  let trades = 0;
  const tape = await new FileTapeSource().open(file);
  for await (const trade of tape) {
    if (++trades % 50_000 === 0) {
      gc();
      heapGrowth = Math.max(heapGrowth, process.memoryUsage().heapUsed - baseline);
    }
    void trade;
  }
  return { trades, heapGrowth, bytesTotal: tape.progress().bytesTotal };
}

/**
 * A reader that loaded its file whole would hold at least the file's bytes (as a string, or
 * one object per row, far more) when the heap is sampled; a streaming one holds a chunk.
 */
describe('tapes stream their files', () => {
  const files = tapeFiles();
  const start = 1_686_787_200_000;

  // Sizes a loaded CI machine reads well inside the timeout (1,000,000 rows took over 20 s there), still
  // several times the bound: a streaming reader grows the heap by about 0.3 MB, one that loaded the file 100 MB.
  it('reads 300,000 aggTrades rows with the live heap bounded far below the file size', async () => {
    const file = await files.write('BTCUSDT-aggTrades-big.csv', '');
    await writeRows(file, 300_000, (i) => `${i},${30000 + (i % 1000) / 100},0.00${100 + (i % 900)},${i},${i},${start + i * 10},${i % 2 === 0 ? 'True' : 'False'},True\n`);
    const { trades, heapGrowth, bytesTotal } = await readMeasuringHeap(file);
    expect(trades).toBe(300_000);
    expect(bytesTotal).toBe((await stat(file)).size);
    expect(bytesTotal).toBeGreaterThan(18_000_000);
    expect(heapGrowth).toBeLessThan(6_000_000);
  }, 60_000);

  it('reads 150,000 Coinbase trades newest first (backwards) with the live heap bounded', async () => {
    const file = await files.write('big-trades.json', '');
    const rows = 150_000;
    const object = (i: number) => JSON.stringify({ time: new Date(start + i * 10).toISOString(), trade_id: i, price: '30000.01', size: '0.01000000', side: 'buy' });
    await writeRows(file, rows, (i) => `${i === 0 ? '' : ',\n'}${object(rows - 1 - i)}`, '[\n', '\n]\n');
    const { trades, heapGrowth, bytesTotal } = await readMeasuringHeap(file);
    expect(trades).toBe(rows);
    expect(bytesTotal).toBeGreaterThan(15_000_000);
    expect(heapGrowth).toBeLessThan(6_000_000);
  }, 60_000);
});
