import type { FillJson } from '../client';
import type { BacktestResult } from './backtest';

/** Columns padded to their widest cell, numbers right-aligned. */
export function formatTable(header: readonly string[] | undefined, rows: readonly (readonly string[])[], rightAligned: ReadonlySet<number>): string {
  const all = header === undefined ? rows : [header, ...rows];
  const widths = all[0]!.map((_, column) => Math.max(...all.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => (rightAligned.has(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ').trimEnd();
  return all.map(line).join('\n');
}

export function formatFills(fills: readonly FillJson[]): string {
  if (fills.length === 0) return 'no fills';
  const rows = fills.map((fill) => [fill.created_at, fill.side, fill.size, fill.price, fill.fee, fill.liquidity === 'M' ? 'maker' : 'taker']);
  return formatTable(['time', 'side', 'size', 'price', 'fee', 'liquidity'], rows, new Set([2, 3, 4]));
}

/** The P&L lines: base and quote currencies from the product id (BTC-USDT). */
export function formatResult({ productId, fills, mark, pnl, replay }: BacktestResult): string {
  const [base, quote] = productId.split('-') as [string, string];
  const rows = [
    ['fills', String(fills.length), ''],
    ['bought', pnl.bought.toString(), base],
    ['sold', pnl.sold.toString(), base],
    ['position', pnl.position.toString(), base],
    ['average cost', pnl.averageCost.toFixed(8), quote],
    ['fees paid', pnl.fees.toString(), quote],
    ['realized P&L (after fees)', pnl.realized.toString(), quote],
    [`unrealized P&L at ${mark}`, pnl.unrealized.toString(), quote],
    ['total P&L', pnl.total.toString(), quote],
  ];
  return `${formatFills(fills)}\n\nreplay ${replay.state}: ${replay.trades_replayed} trades of ${replay.file} up to ${replay.tape_time ?? '-'}\n${formatTable(undefined, rows, new Set([1]))}`;
}
