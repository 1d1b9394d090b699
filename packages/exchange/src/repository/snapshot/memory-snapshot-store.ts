import type { EngineSnapshot } from '@sd/domain/exchange/snapshot';
import type { SnapshotStore } from '@sd/domain/exchange/snapshot-store';
import { decodeSnapshot, encodeSnapshot } from '../codec/snapshot-codec';

/** Keeps snapshots in memory, encoded, so a load never shares objects with the engine. */
export class MemorySnapshotStore implements SnapshotStore {
  private readonly saved: Array<{ sequence: number; bytes: Buffer }> = [];

  async save(snapshot: EngineSnapshot): Promise<void> {
    this.saved.push({ sequence: snapshot.sequence, bytes: encodeSnapshot(snapshot) });
    this.saved.sort((a, b) => a.sequence - b.sequence);
  }

  async loadLatest(atOrBefore = Infinity): Promise<EngineSnapshot | null> {
    const found = this.saved.findLast((entry) => entry.sequence <= atOrBefore);
    return found === undefined ? null : decodeSnapshot(found.bytes);
  }
}
