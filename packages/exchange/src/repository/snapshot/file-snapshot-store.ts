import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { EngineSnapshot } from '@sd/domain/exchange/snapshot';
import type { SnapshotStore } from '@sd/domain/exchange/snapshot-store';
import { decodeSnapshot, encodeSnapshot } from '../codec/snapshot-codec';
import { syncDirectory } from '../journal/file-journal';

export interface FileSnapshotStoreOptions {
  dir: string;
  /** Snapshots kept after a save, newest first. Default 2, so a bad newest one has a fallback. */
  keep?: number;
}

const SNAPSHOT = /^snapshot-(\d{20})\.bin$/;

/**
 * Snapshots as files `snapshot-<sequence>.bin`: binary body + CRC-32 trailer, written to a
 * temporary file, synced, then renamed, so a crash leaves either the old set or the new one.
 */
export class FileSnapshotStore implements SnapshotStore {
  constructor(private readonly options: FileSnapshotStoreOptions) {}

  async save(snapshot: EngineSnapshot): Promise<void> {
    const { dir } = this.options;
    await mkdir(dir, { recursive: true });
    const body = encodeSnapshot(snapshot);
    const trailer = Buffer.allocUnsafe(4);
    trailer.writeUInt32LE(crc32(body));
    const name = `snapshot-${String(snapshot.sequence).padStart(20, '0')}.bin`;
    const temporary = join(dir, `${name}.tmp`);
    try {
      const handle = await open(temporary, 'w');
      try {
        // A nearly full disk takes part of a write without an error: only all of it will do.
        const { bytesWritten } = await handle.writev([body, trailer]);
        if (bytesWritten !== body.length + trailer.length) throw Object.assign(new Error(`snapshot write was short: ${bytesWritten} of ${body.length + trailer.length} bytes`), { code: 'ENOSPC' });
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, join(dir, name));
    } catch (error) {
      // On a full disk the partial file would keep the space the journal needs.
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
    await syncDirectory(dir);
    const stale = (await this.list()).slice(this.options.keep ?? 2);
    await Promise.all(stale.map((file) => unlink(join(dir, file))));
  }

  async loadLatest(atOrBefore = Infinity): Promise<EngineSnapshot | null> {
    await mkdir(this.options.dir, { recursive: true });
    for (const file of await this.list()) {
      if (Number(SNAPSHOT.exec(file)![1]) > atOrBefore) continue;
      const bytes = await readFile(join(this.options.dir, file));
      const body = bytes.subarray(0, bytes.length - 4);
      if (bytes.length < 4 || crc32(body) !== bytes.readUInt32LE(bytes.length - 4)) continue;
      return decodeSnapshot(body);
    }
    return null;
  }

  /** Snapshot file names, newest first. */
  private async list(): Promise<string[]> {
    const names = await readdir(this.options.dir);
    return names.filter((name) => SNAPSHOT.test(name)).sort().reverse();
  }
}
