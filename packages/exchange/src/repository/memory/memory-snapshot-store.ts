import type { EngineSnapshot } from '@sd/domain/exchange/snapshot';
import type { SnapshotStore } from '@sd/domain/exchange/snapshot-store';
import { decodeSnapshot, encodeSnapshot } from '../../usecase/codec/snapshot-codec';

/** Keeps the latest snapshot in memory, encoded, so a load never shares objects with the engine. */
export class MemorySnapshotStore implements SnapshotStore {
  private latest: Buffer | null = null;

  async save(snapshot: EngineSnapshot): Promise<void> {
    this.latest = encodeSnapshot(snapshot);
  }

  async loadLatest(): Promise<EngineSnapshot | null> {
    return this.latest === null ? null : decodeSnapshot(this.latest);
  }
}
