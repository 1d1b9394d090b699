import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replayAll, sequencedCommands } from '../../testing/journal-contract';
import { canMountTmpfs } from '../../testing/small-filesystem';
import { FileJournal, nodeJournalIo, type JournalIo } from './file-journal';

/** A disk that fails on demand: a write takes part of its bytes and then fails, or a sync fails. */
class FaultyIo implements JournalIo {
  writeError: string | null = null;
  /** Fails the next sync with this code. */
  syncError: string | null = null;
  private shortWritten = false;

  write(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number {
    if (this.writeError === null) return nodeJournalIo.write(fd, buffer, offset, length, position);
    // As a filling disk does: the first call takes what fits, the next one fails.
    if (!this.shortWritten && length > 1) {
      this.shortWritten = true;
      return nodeJournalIo.write(fd, buffer, offset, Math.floor(length / 2), position);
    }
    throw errno(this.writeError);
  }

  datasync(fd: number): Promise<void> {
    const code = this.syncError;
    this.syncError = null;
    return code === null ? nodeJournalIo.datasync(fd) : Promise.reject(errno(code));
  }

  heal(): void {
    this.writeError = null;
    this.syncError = null;
    this.shortWritten = false;
  }
}

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected`), { code });
}

async function segmentBytes(dir: string): Promise<number[]> {
  const names = (await readdir(dir)).sort();
  return Promise.all(names.map(async (name) => (await stat(join(dir, name))).size));
}

describe('FileJournal under disk faults (injected through JournalIo)', () => {
  let dir: string;
  let io: FaultyIo;
  const journal = (): FileJournal => new FileJournal({ dir, io, segmentBytes: 4096 });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'journal-faults-'));
    io = new FaultyIo();
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('refuses an append whose write fails halfway (ENOSPC) and every later one until open, which cuts the half record; the same sequences then append', async () => {
    const log = journal();
    await log.open();
    await log.append(sequencedCommands(1, 5));
    const durableBytes = await segmentBytes(dir);
    io.writeError = 'ENOSPC';
    await expect(log.append(sequencedCommands(6, 5))).rejects.toMatchObject({ code: 'ENOSPC' });
    expect((await segmentBytes(dir))[0]).toBeGreaterThan(durableBytes[0]!); // the half record is on disk
    io.heal();
    await expect(log.append(sequencedCommands(6, 5))).rejects.toThrow(/journal failed; reopen it/);
    expect(await log.open()).toBe(5);
    expect(await segmentBytes(dir)).toEqual(durableBytes);
    await log.append(sequencedCommands(6, 3));
    await log.close();
    const restarted = journal();
    expect(await restarted.open()).toBe(8);
    expect(restarted.truncatedBytes).toBe(0);
    expect(await replayAll(restarted)).toEqual({ entries: sequencedCommands(1, 8), last: 8 });
    await restarted.close();
  });

  it('fails an append whose sync fails (EIO) and one written behind it, and open cuts both although the page cache holds them intact', async () => {
    const log = journal();
    await log.open();
    await log.append(sequencedCommands(1, 3));
    io.syncError = 'EIO';
    // Group commit: the second append is written before the first one's sync has failed.
    // The second one's own sync succeeds.
    const appends = [log.append(sequencedCommands(4, 3)), log.append(sequencedCommands(7, 3))];
    const answers = await Promise.allSettled(appends);
    expect(answers.map((answer) => answer.status)).toEqual(['rejected', 'rejected']);
    // Without the cut a restart would replay 1..9: two appends nobody was told are durable.
    const unsynced = new FileJournal({ dir });
    expect(await unsynced.open()).toBe(9);
    await unsynced.close();
    expect(await log.open()).toBe(3);
    await log.append(sequencedCommands(4, 1));
    await log.close();
    const restarted = journal();
    expect(await restarted.open()).toBe(4);
    expect((await replayAll(restarted)).entries).toEqual(sequencedCommands(1, 4));
    await restarted.close();
  });

  it('removes on open a segment that a failed append started', async () => {
    const log = journal();
    await log.open();
    let next = 1;
    // Until the current segment is full: the next append starts a new one.
    do {
      await log.append(sequencedCommands(next, 20));
      next += 20;
    } while ((await segmentBytes(dir)).at(-1)! < 4096);
    const before = (await readdir(dir)).sort();
    io.syncError = 'EIO';
    await expect(log.append(sequencedCommands(next, 20))).rejects.toMatchObject({ code: 'EIO' });
    expect((await readdir(dir)).length).toBe(before.length + 1);
    io.heal();
    expect(await log.open()).toBe(next - 1);
    expect((await readdir(dir)).sort()).toEqual(before);
    await log.append(sequencedCommands(next, 5));
    await log.close();
    const restarted = journal();
    expect(await restarted.open()).toBe(next + 4);
    expect((await replayAll(restarted)).entries).toEqual(sequencedCommands(1, next + 4));
    await restarted.close();
  });
});

const smallFileSystem = canMountTmpfs();

describe(`FileJournal on a full disk: ${smallFileSystem ? 'a 1 MiB tmpfs the test mounts' : 'ENOSPC injected (this machine cannot mount a tmpfs)'}`, () => {
  let dir: string;
  let io: FaultyIo | undefined;
  let log: FileJournal | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'journal-full-'));
    if (smallFileSystem) execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir]);
    else io = new FaultyIo();
  });
  afterEach(async () => {
    await log?.close();
    if (smallFileSystem) execFileSync('umount', [dir]);
    await rm(dir, { recursive: true, force: true });
  });

  it('fills up, refuses, keeps every resolved append, and appends again once space is freed; a restart replays cleanly', async () => {
    const filler = join(dir, 'filler');
    if (smallFileSystem) await writeFile(filler, Buffer.alloc(900 << 10));
    log = new FileJournal({ dir: join(dir, 'journal'), io });
    await log.open();
    let next = 1;
    let failure: unknown = null;
    while (failure === null && next < 1_000_000) {
      if (!smallFileSystem && next > 2000) io!.writeError = 'ENOSPC';
      try {
        await log.append(sequencedCommands(next, 100));
        next += 100;
      } catch (error) {
        failure = error;
      }
    }
    expect(failure).toMatchObject({ code: 'ENOSPC' });
    const durable = next - 1;
    expect(durable).toBeGreaterThan(0);
    // Still full: the cut needs no space, the next append fails again and is cut again.
    expect(await log.open()).toBe(durable);
    await expect(log.append(sequencedCommands(next, 100))).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(await log.open()).toBe(durable);
    if (smallFileSystem) await rm(filler);
    else io!.heal();
    await log.append(sequencedCommands(next, 100));
    await log.close();
    log = undefined;
    const restarted = new FileJournal({ dir: join(dir, 'journal') });
    expect(await restarted.open()).toBe(durable + 100);
    expect(restarted.truncatedBytes).toBe(0);
    const { entries } = await replayAll(restarted);
    expect(entries).toEqual(sequencedCommands(1, durable + 100));
    await restarted.close();
  });
});
