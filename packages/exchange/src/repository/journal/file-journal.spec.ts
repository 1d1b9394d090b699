import { mkdtemp, readdir, rm, stat, truncate, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SequencedCommand } from '@sd/domain/exchange/command';
import { everyCommandKind } from '../../testing/journal-contract';
import { MemoryJournal } from './memory-journal';
import { FileJournal } from './file-journal';


function entries(first: number, count: number): SequencedCommand[] {
  return Array.from({ length: count }, (_, i) => ({ sequence: first + i, timestamp: 1_700_000_000_000 + first + i, command: everyCommandKind[(first + i) % everyCommandKind.length]! }));
}

async function readAll(journal: FileJournal | MemoryJournal, from = 1): Promise<SequencedCommand[]> {
  const seen: SequencedCommand[] = [];
  await journal.replay(from, (entry) => seen.push(entry));
  return seen;
}

describe('FileJournal', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'journal-spec-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('round-trips every command type through the binary format, across reopen', async () => {
    const journal = new FileJournal({ dir });
    expect(await journal.open()).toBe(0);
    await journal.append(entries(1, 9));
    await journal.append(entries(10, 9));
    await journal.close();
    const reopened = new FileJournal({ dir });
    expect(await reopened.open()).toBe(18);
    expect(await readAll(reopened)).toEqual(entries(1, 18));
    await reopened.append(entries(19, 2));
    expect((await readAll(reopened)).map((e) => e.sequence)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    await reopened.close();
  });

  it('replays from a sequence in the middle of a batch', async () => {
    const journal = new FileJournal({ dir, fsync: 'none' });
    await journal.open();
    for (let first = 1; first <= 100; first += 10) await journal.append(entries(first, 10));
    expect(await readAll(journal, 57)).toEqual(entries(57, 44));
    expect(await journal.replay(101, () => undefined)).toBe(100);
    await journal.close();
  });

  it('truncates a torn tail on open and continues after the last complete append', async () => {
    const journal = new FileJournal({ dir });
    await journal.open();
    await journal.append(entries(1, 5));
    await journal.append(entries(6, 5));
    await journal.close();
    const [segment] = await readdir(dir);
    const path = join(dir, segment!);
    const size = (await stat(path)).size;
    await truncate(path, size - 7); // the second append is torn
    const reopened = new FileJournal({ dir });
    expect(await reopened.open()).toBe(5);
    expect(reopened.truncatedBytes).toBeGreaterThan(0);
    expect((await stat(path)).size).toBeLessThan(size - 7);
    await reopened.append(entries(6, 3));
    expect(await readAll(reopened)).toEqual(entries(1, 8));
    await reopened.close();
  });

  it('detects a corrupted record by its checksum', async () => {
    const journal = new FileJournal({ dir });
    await journal.open();
    await journal.append(entries(1, 3));
    await journal.append(entries(4, 3));
    await journal.close();
    const [segment] = await readdir(dir);
    const bytes = await readFile(join(dir, segment!));
    bytes[bytes.length - 3]! ^= 0xff;
    await writeFile(join(dir, segment!), bytes);
    const reopened = new FileJournal({ dir });
    expect(await reopened.open()).toBe(3);
    expect(await readAll(reopened)).toEqual(entries(1, 3));
    await reopened.close();
  });

  it('rolls segments and replays across them', async () => {
    const journal = new FileJournal({ dir, segmentBytes: 300 });
    await journal.open();
    for (let first = 1; first <= 40; first += 4) await journal.append(entries(first, 4));
    await journal.close();
    expect((await readdir(dir)).length).toBeGreaterThan(3);
    const reopened = new FileJournal({ dir, segmentBytes: 300 });
    expect(await reopened.open()).toBe(40);
    expect(await readAll(reopened, 13)).toEqual(entries(13, 28));
    await reopened.close();
  });

  it('refuses a gap or an append before open', async () => {
    const journal = new FileJournal({ dir });
    await expect(journal.append(entries(1, 1))).rejects.toThrow(/not open/);
    await journal.open();
    await expect(journal.append(entries(2, 1))).rejects.toThrow(/expects sequence 1/);
    await journal.close();
  });

  it('answers a ping while open and writable, and fails it once its directory is gone or it is closed', async () => {
    const journal = new FileJournal({ dir });
    await expect(journal.ping()).rejects.toThrow(/not open/);
    await journal.open();
    await expect(journal.ping()).resolves.toBeUndefined();
    await rm(dir, { recursive: true });
    await expect(journal.ping()).rejects.toThrow(/ENOENT/);
    await journal.close();
    await expect(journal.ping()).rejects.toThrow(/not open/);
  });
});

describe('MemoryJournal', () => {
  it('keeps order and replays from a sequence', async () => {
    const journal = new MemoryJournal();
    await journal.append(entries(1, 5));
    await expect(journal.append(entries(7, 1))).rejects.toThrow(/expects sequence 6/);
    expect(await readAll(journal, 3)).toEqual(entries(3, 3));
  });
});
