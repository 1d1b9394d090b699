import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineSnapshot } from '@sd/domain/exchange/snapshot';
import { DEFAULT_CURRENCIES, DEFAULT_PRODUCTS } from '../../usecase/core/catalog/default-products';
import { FileSnapshotStore } from './file-snapshot-store';

function snapshot(sequence: number): EngineSnapshot {
  return {
    sequence,
    timestamp: 1_700_000_000_000,
    lastTradeId: 3,
    market: { currencies: [...DEFAULT_CURRENCIES], products: [...DEFAULT_PRODUCTS] },
    supply: [{ currency: 'BTC', amount: 100 }],
    accounts: [{ userId: 'alice', currency: 'BTC', available: 60, hold: 40 }],
    products: [
      {
        productId: 'BTC-USDT',
        bookSequence: 7,
        orders: [
          { id: 2, userId: 'alice', side: 'sell', price: 10, size: 5, remaining: 4, hold: 40, filled: 1, executedValue: 10, fees: 0, makerNotional: 10, takerNotional: 0, stp: 'dc', postOnly: false, clientOid: 'k', createdAt: 1 },
        ],
      },
    ],
    clientOids: [{ userId: 'alice', clientOid: 'k' }],
  };
}

describe('FileSnapshotStore', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'snapshot-spec-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('loads nothing when empty, then the newest snapshot, keeping two', async () => {
    const store = new FileSnapshotStore({ dir });
    expect(await store.loadLatest()).toBeNull();
    for (const sequence of [5, 10, 15]) await store.save(snapshot(sequence));
    expect(await store.loadLatest()).toEqual(snapshot(15));
    expect((await readdir(dir)).sort()).toEqual(['snapshot-00000000000000000010.bin', 'snapshot-00000000000000000015.bin']);
  });

  it('falls back to the previous snapshot when the newest is corrupt', async () => {
    const store = new FileSnapshotStore({ dir });
    await store.save(snapshot(5));
    await store.save(snapshot(10));
    const newest = join(dir, 'snapshot-00000000000000000010.bin');
    const bytes = await readFile(newest);
    bytes[20]! ^= 0xff;
    await writeFile(newest, bytes);
    expect((await store.loadLatest())?.sequence).toBe(5);
  });
});
