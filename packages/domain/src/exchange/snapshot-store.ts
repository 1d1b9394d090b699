import type { EngineSnapshot } from './snapshot';

/** Keeps engine snapshots; a save is atomic, so `loadLatest` never sees half a snapshot. */
export interface SnapshotStore {
  save(snapshot: EngineSnapshot): Promise<void>;
  /** The snapshot with the highest sequence, or null when there is none. */
  loadLatest(): Promise<EngineSnapshot | null>;
}

export const SnapshotStore = Symbol.for('sd.exchange.SnapshotStore');
