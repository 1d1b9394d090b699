import type { EngineSnapshot } from './snapshot';

/** Keeps engine snapshots; a save is atomic, so `loadLatest` never sees half a snapshot. */
export interface SnapshotStore {
  save(snapshot: EngineSnapshot): Promise<void>;
  /**
   * The snapshot with the highest sequence (at most `atOrBefore` when given), or null when
   * there is none. Projections that lag the engine rebuild their missing outputs from one.
   */
  loadLatest(atOrBefore?: number): Promise<EngineSnapshot | null>;
}

export const SnapshotStore = Symbol.for('sd.exchange.SnapshotStore');
