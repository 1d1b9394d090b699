import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TapeFormat, TapeTrade } from '@sd/domain/exchange/tape';
import { FileTapeSource } from './file-tape-source';

/** A temporary directory for one spec file's tapes, and reading them whole (small files only). */
export function tapeFiles(): { write(name: string, text: string): Promise<string>; read(file: string, format?: TapeFormat): Promise<TapeTrade[]> } {
  let directory = '';
  beforeAll(async () => (directory = await mkdtemp(join(tmpdir(), 'tape-spec-'))));
  afterAll(() => rm(directory, { recursive: true, force: true }));
  return {
    async write(name, text) {
      const file = join(directory, name);
      await writeFile(file, text);
      return file;
    },
    read: (file, format) => readTape(file, format),
  };
}

export async function readTape(file: string, format?: TapeFormat): Promise<TapeTrade[]> {
  const trades: TapeTrade[] = [];
  for await (const trade of await new FileTapeSource().open(file, format)) trades.push(trade);
  return trades;
}
