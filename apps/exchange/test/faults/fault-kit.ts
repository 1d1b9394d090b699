export { canMountTmpfs } from '@sd/exchange/testing/small-filesystem';

export const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** Prints a run's figures as one block (the README's reliability table is made of them). */
export function printFigures(title: string, rows: Array<[string, string | number]>): void {
  const width = Math.max(...rows.map(([name]) => name.length));
  process.stdout.write(`\n== ${title}\n${rows.map(([name, value]) => `   ${name.padEnd(width)}  ${value}`).join('\n')}\n`);
}

/** FAULTS=full: every case at full length (by hand); otherwise the quick variant CI runs. */
export const FULL = process.env.FAULTS === 'full';

/** The p-th percentile (0..100) of `values`, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}
