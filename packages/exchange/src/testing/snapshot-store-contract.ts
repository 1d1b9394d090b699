import type { EngineSnapshot } from '@sd/domain/exchange/snapshot';
import type { SnapshotStore } from '@sd/domain/exchange/snapshot-store';
import { DEFAULT_CURRENCIES, DEFAULT_PRODUCTS } from '../usecase/core/catalog/default-products';
import { ProductCatalog } from '../usecase/core/catalog/product-catalog';
import { ExchangeEngine } from '../usecase/core/engine/exchange-engine';
import { RandomCommands } from './random-commands';
import { stateHash } from './state-hash';

/**
 * One snapshot store (file, memory): what a restart loads is exactly the state that was saved,
 * the newest one (or the newest at or before a sequence), and never shares objects with the
 * engine that saved it. `open` gives an empty store for each test.
 */
export function describeSnapshotStoreContract(name: string, open: () => Promise<{ store: SnapshotStore; dispose(): Promise<void> }>): void {
  describe(`snapshot store contract: ${name}`, () => {
    const catalog = new ProductCatalog(DEFAULT_CURRENCIES, DEFAULT_PRODUCTS);
    let store: SnapshotStore;
    let dispose: () => Promise<void>;

    beforeEach(async () => ({ store, dispose } = await open()));
    afterEach(() => dispose());

    /** Snapshots of one engine after 300, 600 and 900 random commands (books, holds, client oids). */
    function engineSnapshots(): EngineSnapshot[] {
      const engine = new ExchangeEngine(catalog);
      const commands = new RandomCommands(catalog, { seed: 5, users: 6 });
      const snapshots: EngineSnapshot[] = [];
      for (let sequence = 1; sequence <= 900; sequence++) {
        engine.apply({ sequence, timestamp: 1_700_000_000_000 + sequence, command: commands.next(sequence) });
        if (sequence % 300 === 0) snapshots.push(engine.snapshot());
      }
      return snapshots;
    }

    it('has nothing to load before the first save', async () => {
      expect(await store.loadLatest()).toBeNull();
      expect(await store.loadLatest(10)).toBeNull();
    });

    it('loads the newest snapshot, which restores the very state that was saved', async () => {
      const snapshots = engineSnapshots();
      for (const snapshot of snapshots) await store.save(snapshot);
      const loaded = await store.loadLatest();
      expect(loaded).toEqual(snapshots[2]);
      expect(stateHash(ExchangeEngine.restore(catalog, loaded!).snapshot())).toBe(stateHash(snapshots[2]!));
    });

    it('loads the newest at or before a sequence, for a read side that lags', async () => {
      const [first, second] = engineSnapshots();
      await store.save(first!);
      await store.save(second!);
      expect((await store.loadLatest(second!.sequence - 1))?.sequence).toBe(first!.sequence);
      expect((await store.loadLatest(second!.sequence))?.sequence).toBe(second!.sequence);
      expect(await store.loadLatest(first!.sequence - 1)).toBeNull();
    });

    it('keeps what was saved apart from the objects it was given and the ones it answers', async () => {
      const [snapshot] = engineSnapshots();
      const expected = structuredClone(snapshot!);
      await store.save(snapshot!);
      snapshot!.accounts[0]!.available += 1;
      const loaded = (await store.loadLatest())!;
      expect(loaded).toEqual(expected);
      loaded.accounts[0]!.available += 1;
      expect(await store.loadLatest()).toEqual(expected);
    });
  });
}
