export { canMountTmpfs } from '@sd/exchange/testing/small-filesystem';

export const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** Prints a run's figures as one block (the README's reliability table is made of them). */
export function printFigures(title: string, rows: Array<[string, string | number]>): void {
  const width = Math.max(...rows.map(([name]) => name.length));
  process.stdout.write(`\n== ${title}\n${rows.map(([name, value]) => `   ${name.padEnd(width)}  ${value}`).join('\n')}\n`);
}
